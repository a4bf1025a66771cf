"""The per-turn hook: after every customer message, how the customer feels and whether a person
should take over.

Rasa calls this action after each user message, within `action_read_turn` (actions/turn_hook.py),
inside forms and while the conversation is paused too, because slots in the domain name that in a
`custom` mapping (ActionExtractSlots). It may only return SlotSet and BotUttered events there; the
handoff itself is then predicted by addons/handoff_policy.py from the `live_agent_handoff` slot.

The conversation's mood lives in slots (frustration_score = smoothed score, sentiment_score = last
turn's sentiment), so any action-server replica can continue it; the per-turn series and the
contact history live in Redis (actions/history.py, contract/).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Set as AbstractSet
from functools import lru_cache
from typing import Any

import redis
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff_settings import HandoffSettings, load_handoff_settings
from actions.history import Contact, append_turn, record_contact
from actions.metrics import channel_of, count
from actions.shop_access import normalize_order_number
from contract.form_answers import answers
from contract.slots import (
    FRUSTRATION_LEVEL,
    FRUSTRATION_SCORE,
    HANDOFF_REASON,
    LIVE_AGENT_HANDOFF,
    SENTIMENT_SCORE,
)
from mood.analyzer import DialogueSignals, TurnAnalyzer, TurnScore
from mood.conversation import ConversationMood
from mood.settings import load_frustration_settings

logger = logging.getLogger(__name__)

# Longer messages are analysed by their beginning: the cues are there, and the cost stays flat.
MAX_ANALYSED_CHARS = 2000


@lru_cache(maxsize=1)
def get_analyzer() -> TurnAnalyzer:
    """The analyser, built once per process (it builds a spaCy pipeline)."""
    return TurnAnalyzer(load_frustration_settings())


# Built when rasa_sdk imports this module at start-up, so a bad config/handoff.yml stops the
# action server at once and the first customer does not wait a second for the pipeline.
get_analyzer()
load_handoff_settings()


def turns_since_resume(tracker: Tracker) -> list[dict[str, Any]]:
    """User events after the latest hand-back (resume) or session start, oldest first.

    An agent's hand-back starts the assistant afresh, so nothing before it counts again.
    """
    turns: list[dict[str, Any]] = []
    for event in reversed(tracker.events):
        if event.get("event") in ("resume", "session_started", "restart"):
            break
        if event.get("event") == "user":
            turns.append(event)
    return list(reversed(turns))


def already_analysed(tracker: Tracker) -> bool:
    """This message was scored already: Rasa runs slot extraction again when a form starts."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "slot" and event.get("name") == SENTIMENT_SCORE:
            return True
    return False


def intent_of(event: dict[str, Any]) -> str | None:
    """The intent Rasa recognised in a user event."""
    return ((event.get("parse_data") or {}).get("intent") or {}).get("name")


def has_words(event: dict[str, Any]) -> bool:
    """The message holds a letter or digit: blank and emoji-only messages say nothing to fail."""
    return any(char.isalnum() for char in event.get("text") or "")


def form_answers(tracker: Tracker) -> set[float]:
    """Timestamps of user messages sent while a form was asking for a slot: a reason typed
    into a form is an answer the form validates, not a message the assistant failed on
    (contract.form_answers, which the ticket summary reads the same way)."""
    return {event.get("timestamp") or 0.0 for event in answers(tracker.events)}


def consecutive_failures(
    turns: list[dict[str, Any]],
    failure_intents: frozenset,
    answers: AbstractSet[float] = frozenset(),
) -> int:
    """How many of the latest user messages in a row were not understood (blank or emoji-only
    messages and answers to a form's question are not failures, and end the run)."""
    count = 0
    for event in reversed(turns):
        failed = intent_of(event) in failure_intents and has_words(event)
        if not failed or (event.get("timestamp") or 0.0) in answers:
            break
        count += 1
    return count


def repeated_request(turns: list[dict[str, Any]], topics: dict[str, str]) -> bool:
    """The latest message asks for the same kind of thing as an earlier one of this conversation.

    A customer who asks where the parcel is twice was not helped by the first answer.
    """
    if not turns:
        return False
    topic = topics.get(intent_of(turns[-1]) or "")
    return topic is not None and any(topics.get(intent_of(e) or "") == topic for e in turns[:-1])


def conversation_topic(turns: list[dict[str, Any]], topics: dict[str, str]) -> str | None:
    """The kind of problem the conversation is about: the latest routine request's topic."""
    for event in reversed(turns):
        topic = topics.get(intent_of(event) or "")
        if topic:
            return topic
    return None


def request_intent(turns: list[dict[str, Any]], topics: dict[str, str]) -> str | None:
    """The question the customer is asking now: the latest routine request's intent."""
    for event in reversed(turns):
        intent = intent_of(event)
        if intent in topics:
            return intent
    return None


def closed_by_person(tracker: Tracker, topics: dict[str, str]) -> tuple[float, set[str]] | None:
    """When a person last gave this session back to the assistant (the desk closed the ticket
    or handed it back: a `resume` event), and the requests (intents) asked before that; None
    when no person has had the conversation."""
    asked: set[str] = set()
    closed: tuple[float, set[str]] | None = None
    for event in tracker.events:
        kind = event.get("event")
        if kind in ("session_started", "restart"):
            asked, closed = set(), None
        elif kind == "user" and intent_of(event) in topics:
            asked.add(str(intent_of(event)))
        elif kind == "resume":
            closed = (float(event.get("timestamp") or 0.0), set(asked))
    return closed


def counted_since(tracker: Tracker, turns: list[dict[str, Any]], topics: dict[str, str]) -> float:
    """From when earlier contacts count: a person who closed the conversation dealt with the
    requests before; a different question afterwards is no "you've had to come back", while
    the same question again still is (what the person did did not hold)."""
    closed = closed_by_person(tracker, topics)
    if closed is None or request_intent(turns, topics) in closed[1]:
        return 0.0
    return closed[0]


def current_order(
    tracker: Tracker, turns: list[dict[str, Any]], topics: dict[str, str]
) -> str | None:
    """The order the current request is about: the latest order number the customer gave since
    the request was made (this message included). An order mentioned for an earlier request
    of the conversation is not this request's order."""
    start = max(
        (i for i, event in enumerate(turns) if topics.get(intent_of(event) or "")), default=0
    )
    events = [*turns[start:], {"parse_data": {"entities": tracker.latest_message.get("entities")}}]
    for event in reversed(events):
        entities = (event.get("parse_data") or {}).get("entities") or []
        for entity in reversed(entities):
            if entity.get("entity") == "order_number" and isinstance(entity.get("value"), str):
                number = normalize_order_number(entity["value"])
                if number:
                    return number
    return None


def identities(tracker: Tracker, order: str | None) -> tuple[tuple[str, str], ...]:
    """Everything that identifies the customer: sender id, emails given, and the order of the
    current request.

    Read from this message's entities as well as the slots: Rasa fills the slots from this
    message only after this action has run.
    """
    entities = tracker.latest_message.get("entities") or []
    emails = {tracker.get_slot("email")}
    emails.update(e.get("value") for e in entities if e.get("entity") == "email")
    found = [("sender", tracker.sender_id)]
    # A set: the same email in the slot and in the message is one identity, filed once.
    found += sorted(
        {("email", v.strip().lower()) for v in emails if isinstance(v, str) and "@" in v}
    )
    if order:
        found.append(("order", order))
    return tuple(found)


def conversation_id(tracker: Tracker) -> str:
    """One conversation = one Rasa session of one sender; a new session is a new contact."""
    started = [e.get("timestamp") for e in tracker.events if e.get("event") == "session_started"]
    return f"{tracker.sender_id}@{int(started[-1]) if started and started[-1] else 0}"


async def repeated_contacts(
    tracker: Tracker, topic: str | None, order: str | None, window_s: float, since: float = 0.0
) -> int:
    """How often this customer or order came back about `topic` within the window (0 if unknown).

    Redis being unreachable must not stop the conversation: the turn is then judged without it.
    """
    if topic is None:
        return 0
    contact = Contact(conversation_id(tracker), topic, identities(tracker, order), order)
    try:
        return await record_contact(contact, window_s, since=since)
    except redis.RedisError as error:
        logger.warning("contact history unavailable (%s); repeated contact not checked", error)
        return 0


def decide_handoff(
    settings: HandoffSettings,
    intent: str | None,
    failures: int,
    repeat_contact: bool,
    mood_hands_over: bool,
    claims_contact: bool = False,
) -> str | None:
    """The reason to hand over after this turn, most specific first, or None.

    Repeated contact is proven by the contact history or claimed by the customer ("this is the
    third time I'm writing about 10004", "I've emailed twice and got no answer").
    """
    if intent in settings.person_request_intents:
        return "customer_request"
    if repeat_contact or claims_contact:
        return "repeated_contact"
    if failures >= settings.consecutive_failures:
        return "repeated_failure"
    if mood_hands_over:
        return "frustration"
    return None


def turn_record(
    text: str, intent: str | None, turn: TurnScore, mood: ConversationMood
) -> dict[str, Any]:
    """One entry of the conversation's per-turn series in Redis (read by the agent desk)."""
    return {
        "ts": time.time(),
        "text": text,
        "intent": intent,
        "sentiment": round(turn.sentiment, 4),
        "frustration": round(turn.frustration, 4),
        "smoothed": round(mood.smoothed, 4),
        "level": mood.level,
        "reasons": list(turn.reasons),
    }


def misunderstood(tracker: Tracker, settings: HandoffSettings) -> bool:
    """Not understood outside a form: inside one, the form reads the answer (a refund reason
    is free text whatever intent it looks like), so it is not the assistant failing."""
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    return intent in settings.failure_intents and not (tracker.active_loop or {}).get("name")


def flow_of(tracker: Tracker, topics: dict[str, str]) -> str:
    """The routine flow the message came in: the active form, else its intent's topic."""
    form = (tracker.active_loop or {}).get("name")
    return str(form or topics.get(intent_of(tracker.latest_message) or "") or "none")


async def count_turn(
    tracker: Tracker, text: str, intent: str | None, level: str, failed: bool
) -> None:
    """Analytics for this message: new conversation, frustration rising, misunderstanding."""
    conversation, channel = conversation_id(tracker), channel_of(tracker)
    flow = flow_of(tracker, load_handoff_settings().topics)
    levels = (tracker.get_slot(FRUSTRATION_LEVEL), level)
    now = time.time()
    await count(
        lambda recorder: recorder.turn(
            conversation, channel, intent, flow, levels, failed, text, now
        )
    )


class ActionAnalyzeTurn(Action):
    """Scores the customer's latest message and sets the mood and handoff slots."""

    def name(self) -> str:
        """Still callable alone, so a model trained before action_read_turn keeps working."""
        return "action_analyze_turn"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Every turn is scored and recorded once; the handoff slots are set once per handoff."""
        if already_analysed(tracker):
            return []
        settings = load_handoff_settings()
        frustration_settings = load_frustration_settings()
        text = (tracker.latest_message.get("text") or "")[:MAX_ANALYSED_CHARS]
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        turns = turns_since_resume(tracker)
        answered = form_answers(tracker)
        requests = [t for t in turns if (t.get("timestamp") or 0.0) not in answered]
        failures = consecutive_failures(turns, settings.failure_intents, answered)
        turn = get_analyzer().analyze(
            text,
            DialogueSignals(
                consecutive_failures=failures,
                repeated_request=repeated_request(requests, settings.topics),
            ),
        )
        # A refund reason describes what is wrong with the product ("it makes a horrible
        # noise"): its negative words still count, but a drop from the previous message is
        # the subject changing, not the customer's mood falling sharply.
        answering = bool(turns) and turns[-1] is not (requests[-1] if requests else None)
        mood = ConversationMood.from_slots(
            tracker.get_slot(FRUSTRATION_SCORE),
            None if answering else tracker.get_slot(SENTIMENT_SCORE),
            max(len(turns) - 1, 0),
        ).update(turn, frustration_settings)
        repeat = frustration_settings.repeat_contact
        contacts = await repeated_contacts(
            tracker,
            conversation_topic(turns, settings.topics),
            current_order(tracker, turns, settings.topics),
            repeat.window_days * 86400.0,
            counted_since(tracker, turns, settings.topics),
        )
        try:
            await append_turn(tracker.sender_id, turn_record(text, intent, turn, mood))
        except redis.RedisError as error:
            logger.warning("turn history unavailable (%s); turn not recorded", error)
        await count_turn(tracker, text, intent, mood.level, misunderstood(tracker, settings))

        events = [
            SlotSet(SENTIMENT_SCORE, turn.sentiment),
            SlotSet(FRUSTRATION_SCORE, mood.smoothed),
            SlotSet(FRUSTRATION_LEVEL, mood.level),
        ]
        if tracker.get_slot(LIVE_AGENT_HANDOFF):
            return events
        reason = decide_handoff(
            settings,
            intent,
            failures,
            contacts >= repeat.count,
            mood.should_hand_over(frustration_settings),
            turn.claims_earlier_contact,
        )
        if reason is not None:
            events += [SlotSet(LIVE_AGENT_HANDOFF, True), SlotSet(HANDOFF_REASON, reason)]
        return events
