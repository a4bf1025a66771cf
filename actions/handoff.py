"""Handing the conversation to a person: tell the customer honestly, then pause the bot."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, ConversationPaused, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.responses import pick_response


class ActionHandoff(Action):
    """Says why a person takes over and pauses the assistant for this conversation.

    Predicted by policies/handoff_policy.py whenever `live_agent_handoff` was set this turn,
    so it also ends whatever form was active.
    """

    def name(self) -> Text:
        """Name used in the domain."""
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        """Pauses after the message, so the assistant stays silent until hand-back."""
        reason = tracker.get_slot("handoff_reason") or "customer_request"
        dispatcher.utter_message(
            response=pick_response(
                domain, f"utter_handoff_{reason}", "utter_handoff_customer_request"
            )
        )
        return [
            ActiveLoop(None),
            SlotSet("requested_slot", None),
            SlotSet("live_agent_handoff", True),
            SlotSet("handoff_reason", reason),
            ConversationPaused(),
        ]
