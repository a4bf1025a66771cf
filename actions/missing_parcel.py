"""A parcel the carrier marks delivered that never reached the customer.

Repeating "delivered on ..." does not help: the customer hears what the carrier recorded,
what to check, and is offered a claim with a person, who sees these facts in the
conversation. An order that is not marked delivered gets its ordinary status answer.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.order_forms import OrderFormValidation, shop_down
from actions.responses import pick_response
from actions.shop_access import call_shop, get_shop, order_facts
from contract.slots import FLOW_STOPPED, ORDER_NUMBER
from orders.client import ShopError


class ValidateMissingParcelForm(OrderFormValidation):
    """What the carrier recorded is status, told on the number alone."""

    needs_owner = False

    def name(self) -> str:
        """Name used in the domain."""
        return "validate_missing_parcel_form"


class ActionReportMissing(Action):
    """The carrier's record, what to check, and the offer of a claim with a person."""

    def name(self) -> str:
        """Name used in the domain."""
        return "action_report_missing"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Delivered: the missing-parcel path; any other status: that status."""
        number = tracker.get_slot(ORDER_NUMBER)
        reset = [SlotSet(FLOW_STOPPED, None)]
        if not number or tracker.get_slot(FLOW_STOPPED):
            return reset
        try:
            order = await call_shop(get_shop().get_order, number)
        except ShopError:
            shop_down(dispatcher)
            return reset
        facts = {**order_facts(order), "tracking": ""}
        if order.status == "delivered":
            dispatcher.utter_message(response="utter_missing_parcel", **facts)
        else:
            response = pick_response(
                domain, f"utter_delivery_{order.status}", "utter_delivery_other"
            )
            dispatcher.utter_message(response=response, status=order.status, **facts)
        return reset
