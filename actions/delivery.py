"""Delivery status: status, carrier, tracking number and expected date of one order."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.metrics import count_outcome
from actions.responses import pick_response
from actions.shop_access import call_shop, get_shop, order_facts
from analytics.recorder import DELIVERY_ANSWERED
from shop_client import ShopError


class ActionCheckDelivery(Action):
    """Answers with the response for the order's status (utter_delivery_<status>)."""

    def name(self) -> str:
        """Name used in the domain."""
        return "action_check_delivery"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Reads the order fresh from the shop: its state may have changed since validation."""
        number = tracker.get_slot("order_number")
        if not number:
            return []
        try:
            order = await call_shop(get_shop().get_order, number)
        except ShopError:
            dispatcher.utter_message(response="utter_shop_unavailable")
            return []
        response = pick_response(domain, f"utter_delivery_{order.status}", "utter_delivery_other")
        dispatcher.utter_message(response=response, status=order.status, **order_facts(order))
        await count_outcome(tracker, DELIVERY_ANSWERED)
        return []
