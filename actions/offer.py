"""Offers a person to a customer who has stayed annoyed (config/handoff.yml `handoff.sustained`).

The decision is made in `action_read_turn` (actions/turn_analysis.py), which sets the
`person_offered` slot; Rasa keeps only SlotSet events from that step (it runs inside slot
extraction), so the line is said here, predicted by addons/handoff_policy.py right after the
customer's message. The action then reverts itself (ActionReverted): the line reaches the
customer, but the rules and stories read the turn as if the customer had just written, so the
flow answers the message as it would have without the offer.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionReverted
from rasa_sdk.executor import CollectingDispatcher


class ActionOfferPerson(Action):
    """Says the offer of a person, then takes the action back out of the dialogue state."""

    def name(self) -> str:
        """Name predicted by addons/handoff_policy.py."""
        return "action_offer_person"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """The offer line (with a "Talk to a person" button), then ActionReverted."""
        dispatcher.utter_message(response="utter_offer_person")
        return [ActionReverted()]
