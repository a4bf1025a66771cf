"""A new session keeps what the customer told (order, mood, handoff state) but not who they
proved to be: ownership is proven again in each conversation.

Rasa's own session start carries every slot over (`carry_over_slots_to_new_session`), which
would keep a customer verified for ever. A Slack or Telegram user is then re-identified from
Redis for as long as config/identity.yml allows, and a widget customer from their token.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from contract.csat import CSAT_SLOTS
from contract.slots import IDENTITY_SLOTS


class ActionSessionStart(Action):
    """Starts the session and carries the slots over, except the identity slots and the
    satisfaction slots (each session is asked for a rating once)."""

    def name(self) -> str:
        """Rasa runs this action by name at every session start."""
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """SessionStarted, the kept slots, then listen (as Rasa's default action does)."""
        kept = [
            SlotSet(name, value)
            for name, value in tracker.current_slot_values().items()
            if name not in IDENTITY_SLOTS
            and name not in CSAT_SLOTS
            and value is not None
            and name != "requested_slot"
        ]
        return [SessionStarted(), *kept, ActionExecuted("action_listen")]
