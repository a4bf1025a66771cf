"""The per-turn hook: runs after every user message and decides whether a person takes over.

Rasa calls this action after each user message, inside forms too, because slots in the
domain name it in a `custom` mapping (ActionExtractSlots). It may only return SlotSet and
BotUttered events there; the handoff itself is then predicted by policies/handoff_policy.py
from the `live_agent_handoff` slot.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff_settings import HandoffSettings, load_handoff_settings


def consecutive_failures(tracker: Tracker, failure_intents: frozenset) -> int:
    """How many of the latest user messages in a row were not understood.

    Counting stops at a hand-back (resume event) so a conversation an agent has just
    returned to the assistant starts afresh.
    """
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") == "resume":
            break
        if event.get("event") != "user":
            continue
        intent = (event.get("parse_data") or {}).get("intent", {}).get("name")
        if intent not in failure_intents:
            break
        count += 1
    return count


def handoff_reason(tracker: Tracker, settings: HandoffSettings) -> Optional[Text]:
    """The reason to hand over after this turn, or None to let the assistant go on."""
    intent = tracker.latest_message.get("intent", {}).get("name")
    if intent in settings.person_request_intents:
        return "customer_request"
    if consecutive_failures(tracker, settings.failure_intents) >= settings.consecutive_failures:
        return "repeated_failure"
    return None


class ActionAnalyzeTurn(Action):
    """Fills the per-turn slots: handoff decision and reason."""

    def name(self) -> Text:
        """Name used in the domain's custom slot mappings."""
        return "action_analyze_turn"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        """Sets the handoff slots once; a conversation already handed over is left alone."""
        if tracker.get_slot("live_agent_handoff"):
            return []
        reason = handoff_reason(tracker, load_handoff_settings())
        if reason is None:
            return []
        return [SlotSet("live_agent_handoff", True), SlotSet("handoff_reason", reason)]
