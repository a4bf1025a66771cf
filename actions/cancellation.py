"""Cancelling an order that has not shipped yet; the shop decides what can be cancelled."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.metrics import count_outcome
from actions.responses import pick_response
from actions.shop_access import call_shop, get_shop
from analytics.recorder import ORDER_CANCELLED
from shop_client import Refused, ShopError


class ActionCancelOrder(Action):
    """Cancels the order once the customer confirmed, and says what happens to the money."""

    def name(self) -> str:
        """Name used in the domain."""
        return "action_cancel_order"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Cancels, or explains why not (utter_cancel_refused_<code>)."""
        number = tracker.get_slot("order_number")
        confirmed = tracker.get_slot("cancel_confirmed")
        reset = [SlotSet("cancel_confirmed", None)]
        if not number or confirmed is None:
            return reset
        if not confirmed:
            dispatcher.utter_message(response="utter_cancel_kept", order_number=number)
            return reset
        try:
            await call_shop(get_shop().cancel_order, number)
        except Refused as refusal:
            response = pick_response(
                domain, f"utter_cancel_refused_{refusal.code}", "utter_cancel_refused"
            )
            dispatcher.utter_message(response=response, order_number=number, reason=refusal.message)
            return reset
        except ShopError:
            dispatcher.utter_message(response="utter_shop_unavailable")
            return reset
        dispatcher.utter_message(response="utter_order_cancelled", order_number=number)
        await count_outcome(tracker, ORDER_CANCELLED)
        return reset
