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
from actions.metrics import channel_of, count
from contract.events import already_analysed, conversation_id, intent_of, turns_since_resume
from contract.form_answers import answer_times
from contract.slots import (
    FRUSTRATION_LEVEL,
    FRUSTRATION_SCORE,
    HANDOFF_REASON,
    LIVE_AGENT_HANDOFF,
    SENTIMENT_SCORE,
)
from contract.topics import load_topics
from mood.analyzer import DialogueSignals, TurnAnalyzer, TurnScore
from mood.conversation import ConversationMood
from mood.korean import korean_cues, with_korean_cues
from mood.settings import HandoffTriggers, load_frustration_settings, load_handoff_triggers

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
korean_cues()
load_topics()


async def repeated_contacts(
    tracker: Tracker, topic: str | None, order: str | None, window_s: float, since: float = 0.0
) -> int:
    """How often this customer or order came back about `topic` within the window (0 if unknown).

    Redis being unreachable must not stop the conversation: the turn is then judged without it.
    """
    if topic is None:
        return 0
    contact = Contact(
        conversation_id(tracker.sender_id, tracker.events), topic, identities(tracker, order), order
    )
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
    is free text whatever intent it looks like), so it is not the assistant failing."""
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    return intent in triggers.failure_intents and not (tracker.active_loop or {}).get("name")


def flow_of(tracker: Tracker, topics: dict[str, str]) -> str:
    """The routine flow the message came in: the active form, else its intent's topic."""
    form = (tracker.active_loop or {}).get("name")
    return str(form or topics.get(intent_of(tracker.latest_message) or "") or "none")


async def count_turn(
    tracker: Tracker, text: str, intent: str | None, level: str, failed: bool
) -> None:
    """Analytics for this message: new conversation, frustration rising, misunderstanding."""
    conversation = conversation_id(tracker.sender_id, tracker.events)
    channel = channel_of(tracker)
    flow = flow_of(tracker, load_topics().groups)
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
        if already_analysed(tracker.events):
            return []
        triggers = load_handoff_triggers()
        topics = load_topics().groups
        frustration_settings = load_frustration_settings()
        text = (tracker.latest_message.get("text") or "")[:MAX_ANALYSED_CHARS]
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        turns = turns_since_resume(tracker.events)
        answered = answer_times(tracker.events)
        requests = [t for t in turns if (t.get("timestamp") or 0.0) not in answered]
        failures = consecutive_failures(turns, triggers.failure_intents, answered)
        turn = get_analyzer().analyze(
            text,
            DialogueSignals(
                consecutive_failures=failures,
                repeated_request=repeated_request(requests, topics),
            ),
        )
        # Korean messages: the Korean cue lists (config/mood_ko.yml) on top.
        turn = with_korean_cues(turn, text, frustration_settings)
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
        if reason is not None:
            events += [SlotSet(LIVE_AGENT_HANDOFF, True), SlotSet(HANDOFF_REASON, reason)]
        return events
