"""The per-turn hook: after every customer message, how the customer feels and whether a person
should take over.

This module only orchestrates: the tracker's events are read through contract/events.py, the
handoff rules are actions/handoff_rules.py, the scoring is mood/; here they are fetched, the
contact history and turn series written, and the answer turned into slots.

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
from functools import lru_cache
from typing import Any

import redis
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.choices import (
    context_order,
    ignored_offers,
    offered_times,
    offers_choices,
    rejection_times,
)
from actions.handoff_rules import (
    consecutive_failures,
    conversation_topic,
    counted_since,
    current_order,
    decide_handoff,
    identities,
    repeated_request,
)
from actions.history import Contact, append_turn, record_contact
from actions.identity import token_email
from actions.metrics import channel_of, count
from actions.review_capture import keep_for_review
from actions.settings import load_choice_settings
from contract.events import (
    already_analysed,
    conversation_id,
    delivered_turns,
    dialogue_lines,
    slot_by_turn,
)
from contract.form_answers import answer_times
from contract.slots import (
    FRUSTRATION_LEVEL,
    FRUSTRATION_SCORE,
    HANDOFF_REASON,
    LIVE_AGENT_HANDOFF,
    PERSON_OFFERED,
    PROVEN_ORDER,
    SENTIMENT_SCORE,
    VERIFIED_EMAIL,
)
from contract.topics import load_topics
from mood.analyzer import DialogueSignals, TurnAnalyzer, TurnScore
from mood.conversation import ConversationMood, message_scores
from mood.dialogue import Line
from mood.korean import korean_reading, with_korean_cues
from mood.settings import (
    FrustrationSettings,
    HandoffTriggers,
    load_frustration_settings,
    load_handoff_triggers,
)

logger = logging.getLogger(__name__)

# Longer messages are analysed by their beginning: the cues are there, and the cost stays flat.
MAX_ANALYSED_CHARS = 2000


@lru_cache(maxsize=1)
def get_analyzer() -> TurnAnalyzer:
    """The analyser, built once per process (it builds a spaCy pipeline)."""
    return TurnAnalyzer(load_frustration_settings())


# Built when rasa_sdk imports this module at start-up, so a bad config/handoff.yml,
# config/mood_ko.yml or config/topics.yml stops the action server at once and the first
# customer does not wait a second for the pipeline.
get_analyzer()
korean_reading()
load_topics()


async def repeated_contacts(
    tracker: Tracker, topic: str | None, order: str | None, window_s: float, since: float = 0.0
) -> int:
    """How often this customer came back about `topic` within the window (0 if unknown).

    Counted across conversations only under what the customer proved (actions/handoff_rules.py
    `identities`): what strangers typed about an order never counts against its owner.

    Redis being unreachable must not stop the conversation: the turn is then judged without it.
    """
    if topic is None:
        return 0
    proven_email = tracker.get_slot(VERIFIED_EMAIL) or token_email(tracker)
    filed_under = identities(
        tracker.sender_id, order, proven_email, tracker.get_slot(PROVEN_ORDER) == order
    )
    contact = Contact(conversation_id(tracker.sender_id, tracker.events), topic, filed_under, order)
    try:
        return await record_contact(contact, window_s, since=since)
    except redis.RedisError as error:
        logger.warning("contact history unavailable (%s); repeated contact not checked", error)
        return 0


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


def misunderstood(tracker: Tracker, triggers: HandoffTriggers) -> bool:
    """Not understood outside a form: inside one, the form reads the answer (a refund reason
    is free text whatever intent it looks like), so it is not the assistant failing; nor is
    an unclear message answered with choices (actions/choices.py)."""
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if (tracker.active_loop or {}).get("name"):
        return False
    return intent in triggers.failure_intents and not offered_now(tracker)


def offered_now(tracker: Tracker) -> bool:
    """The latest message will be answered with choices: unclear, outside a form."""
    in_form = bool((tracker.active_loop or {}).get("name"))
    order = context_order(tracker)
    return not in_form and offers_choices(tracker.latest_message, load_choice_settings(), order)


def clarified(
    tracker: Tracker, turns: list[dict[str, Any]], triggers: HandoffTriggers
) -> tuple[set[float], set[float]]:
    """The turns that end a run of failures (answers to a form's question, unclear messages
    answered with choices) and the turns that turned the choices down (failures)."""
    offered = offered_times(tracker.events)
    if offered_now(tracker) and turns:
        offered.add(float(turns[-1].get("timestamp") or 0.0))
    rejected = rejection_times(turns, offered)
    understood = offered - rejected - ignored_offers(turns, offered, triggers.failure_intents)
    return answer_times(tracker.events) | understood, rejected


def flow_of(tracker: Tracker, intent: str | None, topics: dict[str, str]) -> str:
    """The routine flow the message came in: the active form, else its intent's topic.

    The intent comes from the caller: `tracker.latest_message` holds it under `intent`, not
    under `parse_data` as a stored user event does.
    """
    form = (tracker.active_loop or {}).get("name")
    return str(form or topics.get(intent or "") or "none")


async def count_turn(
    tracker: Tracker, text: str, intent: str | None, level: str, failed: bool
) -> None:
    """Analytics for this message: new conversation, frustration rising, misunderstanding."""
    conversation = conversation_id(tracker.sender_id, tracker.events)
    channel = channel_of(tracker)
    flow = flow_of(tracker, intent, load_topics().groups)
    levels = (tracker.get_slot(FRUSTRATION_LEVEL), level)
    now = time.time()
    await count(
        lambda recorder: recorder.turn(
            conversation, channel, intent, flow, levels, failed, text, now
        )
    )


def earlier_scores(tracker: Tracker, settings: FrustrationSettings) -> list[float]:
    """The earlier messages' own frustration (since the latest hand-back), recovered from the
    smoothed score this action set after each (frustration_score): the slots stay the state."""
    start, smoothed = slot_by_turn(tracker.events, FRUSTRATION_SCORE)
    numbers = [float(v) for v in smoothed if isinstance(v, (int, float))]
    first = float(start) if isinstance(start, (int, float)) else 0.0
    return message_scores(numbers, first, settings)


def person_offered(tracker: Tracker) -> bool:
    """A person was offered since the latest hand-back (the person_offered slot was set)."""
    return True in slot_by_turn(tracker.events, PERSON_OFFERED)[1]


class ActionAnalyzeTurn(Action):
    """Scores the customer's latest message and sets the mood and handoff slots."""

    def name(self) -> str:
        """Still callable alone, so a model trained before action_read_turn keeps working."""
        return "action_analyze_turn"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Every turn is scored and recorded once; the handoff slots are set once per handoff."""
        if already_analysed(tracker.events):
            return []
        triggers = load_handoff_triggers()
        topics = load_topics().groups
        frustration_settings = load_frustration_settings()
        text = (tracker.latest_message.get("text") or "")[:MAX_ANALYSED_CHARS]
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        turns = delivered_turns(tracker.events)
        answered = answer_times(tracker.events)
        requests = [t for t in turns if (t.get("timestamp") or 0.0) not in answered]
        ended, rejected = clarified(tracker, turns, triggers)
        failures = consecutive_failures(turns, triggers.failure_intents, ended, rejected)
        earlier = [Line(speaker, line) for speaker, line in dialogue_lines(tracker.events)]
        turn = get_analyzer().analyze(
            text,
            DialogueSignals.of(
                earlier,
                text,
                consecutive_failures=failures,
                repeated_topic=repeated_request(requests, topics),
            ),
        )
        # Korean messages: the Korean cue lists and model (config/mood_ko.yml) on top.
        turn = with_korean_cues(turn, text, frustration_settings)
        # A refund reason describes what is wrong with the product ("it makes a horrible
        # noise"): its negative words still count, but a drop from the previous message is
        # the subject changing, not the customer's mood falling sharply.
        answering = bool(turns) and turns[-1] is not (requests[-1] if requests else None)
        mood = ConversationMood.from_slots(
            tracker.get_slot(FRUSTRATION_SCORE),
            None if answering else tracker.get_slot(SENTIMENT_SCORE),
            max(len(turns) - 1, 0),
            recent=earlier_scores(tracker, frustration_settings),
            offered=person_offered(tracker),
        ).update(turn, frustration_settings)
        repeat = frustration_settings.repeat_contact
        contacts = await repeated_contacts(
            tracker,
            conversation_topic(turns, topics),
            current_order(tracker, turns, topics),
            repeat.window_days * 86400.0,
            counted_since(tracker, turns, topics),
        )
        try:
            await append_turn(tracker.sender_id, turn_record(text, intent, turn, mood))
        except redis.RedisError as error:
            logger.warning("turn history unavailable (%s); turn not recorded", error)
        await count_turn(tracker, text, intent, mood.level, misunderstood(tracker, triggers))

        events = [
            SlotSet(SENTIMENT_SCORE, turn.sentiment),
            SlotSet(FRUSTRATION_SCORE, mood.smoothed),
            SlotSet(FRUSTRATION_LEVEL, mood.level),
        ]
        if tracker.get_slot(PERSON_OFFERED):
            events.append(SlotSet(PERSON_OFFERED, False))
        if tracker.get_slot(LIVE_AGENT_HANDOFF):
            return events
        reason = decide_handoff(
            triggers,
            intent,
            failures,
            contacts >= repeat.count,
            mood.should_hand_over(frustration_settings),
            turn.claims_earlier_contact,
        )
        # While the assistant has the conversation: what this turn shows it misread is kept
        # for staff to review (actions/review_capture.py), and the turn is counted.
        await keep_for_review(tracker, reason)
        if reason is not None:
            events += [SlotSet(LIVE_AGENT_HANDOFF, True), SlotSet(HANDOFF_REASON, reason)]
        elif mood.should_offer(frustration_settings):
            # The customer stayed annoyed: addons/handoff_policy.py has action_offer_person
            # offer a person before the answer; still annoyed at the next message, a person
            # takes over.
            events.append(SlotSet(PERSON_OFFERED, True))
        return events
