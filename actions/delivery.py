"""Delivery status: status, carrier and expected date of one order, on its number alone.

That much a carrier's tracking page tells anyone with the number. The tracking number is
added only for the order's proven owner (actions/ownership.py), without asking for it.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.metrics import count_outcome
from actions.order_forms import shop_down
from actions.ownership import proven_silently
from actions.responses import pick_response
from actions.shop_access import call_shop, get_shop, order_facts
from analytics.recorder import DELIVERY_ANSWERED
from contract.slots import FLOW_STOPPED
from orders.client import Order, ShopError


def tracking_note(order: Order) -> str:
    """' (tracking <number>)' for the owner, with the carrier's tracking page where the
    platform knows it (Shopify), so the customer can follow the parcel themselves."""
    number = order.tracking_number or "not yet available"
    return (
        f" (tracking {number}: {order.tracking_url})"
        if order.tracking_url
        else f" (tracking {number})"
    )


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
        reset = [SlotSet(FLOW_STOPPED, None)]
        if not number or tracker.get_slot(FLOW_STOPPED):
            return reset
        try:
            order = await call_shop(get_shop().get_order, number)
            owner = await proven_silently(tracker, number)
        except ShopError:
            shop_down(dispatcher)
            return reset
        response = pick_response(domain, f"utter_delivery_{order.status}", "utter_delivery_other")
        facts = order_facts(order)
        facts["tracking"] = tracking_note(order) if owner else ""
        dispatcher.utter_message(response=response, status=order.status, **facts)
        await count_outcome(tracker, DELIVERY_ANSWERED)
        return reset
