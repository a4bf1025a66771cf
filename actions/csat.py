"""Satisfaction ratings: ask once per session at the end, record the rating and its comment.

The assistant asks after goodbye or thanks (rules in data/rules/basics.yml); the agent desk asks
when a person hands back or closes, setting `csat_agent` and `csat_trigger` itself. A rating is
a button payload (`/rate_conversation{"csat_score": 4}`: contract/csat.py); it opens one
optional comment, which addons/handoff_policy.py routes to action_record_csat_comment whatever
the message's intent. Needs in the domain: domain/csat.yml.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.language import conversation_language
from actions.metrics import channel_of, count
from contract.csat import (
    CSAT_AGENT,
    CSAT_ASKED,
    CSAT_COMMENT_OPEN,
    CSAT_SCORE,
    CSAT_TRIGGER,
    GOODBYE,
    NO_COMMENT_INTENT,
    RESPONSE_ASK,
    RESPONSE_COMMENT_NOTED,
    RESPONSE_NO_COMMENT,
    RESPONSE_THANKS,
    THANKS,
    load_csat,
)
from contract.privacy import mask_for_desk

logger = logging.getLogger(__name__)

MAX_COMMENT_CHARS = 500
# What the customer said that ended the conversation -> the trigger analytics files it under.
INTENT_TRIGGERS = {"goodbye": GOODBYE, "thank": THANKS}


def _intent(tracker: Tracker) -> str:
    return str((tracker.latest_message.get("intent") or {}).get("name") or "")


class ActionAskCsat(Action):
    """After goodbye or thanks: the rating question with its buttons, once per session."""

    def name(self) -> str:
        """Name used in the domain."""
        return "action_ask_csat"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Nothing when this session was asked already, or the trigger is not configured."""
        config = load_csat()
        trigger = INTENT_TRIGGERS.get(_intent(tracker), "")
        if tracker.get_slot(CSAT_ASKED) or trigger not in config.ask_on:
            return []
        dispatcher.utter_message(
            response=RESPONSE_ASK, buttons=config.buttons(conversation_language(tracker))
        )
        return [SlotSet(CSAT_ASKED, True), SlotSet(CSAT_TRIGGER, trigger)]


class ActionRecordCsat(Action):
    """A rating button: counted in analytics, thanked, and a comment invited."""

    def name(self) -> str:
        """Name used in the domain."""
        return "action_record_csat"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """A score outside the scale (a typed payload) is ignored, and nothing is counted twice:
        a second rating in the same session only replaces nothing and thanks again."""
        config = load_csat()
        try:
            score = float(tracker.get_slot(CSAT_SCORE))
        except (TypeError, ValueError):
            score = -1.0
        if score not in {float(s) for s, _ in config.scale}:
            dispatcher.utter_message(
                response=RESPONSE_ASK, buttons=config.buttons(conversation_language(tracker))
            )
            return [SlotSet(CSAT_SCORE, None)]
        trigger = str(tracker.get_slot(CSAT_TRIGGER) or "unasked")
        agent = str(tracker.get_slot(CSAT_AGENT) or "")
        channel, now = channel_of(tracker), time.time()
        await count(
            lambda recorder: recorder.csat(
                channel, score, config.satisfied(score), trigger, agent, now
            )
        )
        dispatcher.utter_message(
            response=RESPONSE_THANKS,
            buttons=config.no_comment_button(conversation_language(tracker)),
        )
        return [SlotSet(CSAT_ASKED, True), SlotSet(CSAT_COMMENT_OPEN, True)]


class ActionRecordCsatComment(Action):
    """The message after a rating: its optional comment (or "No comment")."""

    def name(self) -> str:
        """Name used in the domain (predicted by the csat_comment_open policy)."""
        return "action_record_csat_comment"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Keeps the comment beside the rating (masked like the desk masks chats)."""
        text = str(tracker.latest_message.get("text") or "").strip()
        closed = [SlotSet(CSAT_COMMENT_OPEN, False)]
        if _intent(tracker) == NO_COMMENT_INTENT or not text or text.startswith("/"):
            dispatcher.utter_message(response=RESPONSE_NO_COMMENT)
            return closed
        record = {
            "ts": time.time(),
            "channel": channel_of(tracker),
            "score": tracker.get_slot(CSAT_SCORE),
            "trigger": tracker.get_slot(CSAT_TRIGGER) or "",
            "agent": tracker.get_slot(CSAT_AGENT) or "",
            "comment": mask_for_desk(text[:MAX_COMMENT_CHARS]),
        }
        await count(lambda recorder: recorder.csat_comment(record))
        dispatcher.utter_message(response=RESPONSE_COMMENT_NOTED)
        return closed
