"""Refund status: by the refund's reference or by the order, told only to the order's owner."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.metrics import count_outcome
from actions.order_forms import (
    OrderFormValidation,
    form_done,
    order_or_shop_down,
    proven_number,
    shop_down,
)
from actions.responses import pick_response
from actions.shop_access import call_shop, format_date, get_shop
from analytics.recorder import REFUND_STATUS_ANSWERED
from contract.slots import ORDER_NUMBER
from orders.client import NotFound, Refund, Refused, ShopError

REFERENCE = "refund_reference"
# Customers read refund states in words, not the shop's codes.
REFUND_STATES = {"pending": "being processed", "paid": "paid out", "failed": "not paid out yet"}


def refund_facts(refund: Refund) -> dict[str, Any]:
    """The refund's fields as the refund responses use them."""
    return {
        "refund_reference": refund.reference,
        "order_number": refund.order_number,
        "amount": f"{refund.amount:.2f}",
        "currency": refund.currency,
        "status": REFUND_STATES.get(refund.status, refund.status),
        "created_at": format_date(refund.created_at),
        "expected_by": format_date(refund.expected_by),
    }


class ValidateRefundStatusForm(OrderFormValidation):
    """A refund reference leads to its order; the order's owner must be proven either way."""

    def name(self) -> str:
        """Name used in the domain."""
        return "validate_refund_status_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """A reference given is validated first: it names the order."""
        slots = await super().required_slots(domain_slots, dispatcher, tracker, domain)
        return [REFERENCE, *slots] if slots and tracker.get_slot(REFERENCE) else slots

    async def validate_order_number(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """A reference given in the same message names the order; an order number kept from
        earlier in the conversation must not override it."""
        if REFERENCE in tracker.slots_to_validate():
            return {}
        return await super().validate_order_number(slot_value, dispatcher, tracker, domain)

    async def validate_refund_reference(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """The refund's order becomes the form's order (and needs its owner, like any other)."""
        reference = str(slot_value or "").strip().upper()
        try:
            refund = await call_shop(get_shop().get_refund, reference)
            order = await call_shop(get_shop().get_order, refund.order_number)
        except (NotFound, Refused):
            dispatcher.utter_message(response="utter_refund_not_found", refund_reference=reference)
            return {REFERENCE: None}
        except ShopError:
            return {REFERENCE: None, **shop_down(dispatcher)}
        try:
            proof = await self.accept(order, dispatcher, tracker, domain)
        except ShopError:
            return {REFERENCE: None, **shop_down(dispatcher)}
        return {REFERENCE: reference, ORDER_NUMBER: order.order_number, **proof}


class ActionCheckRefundStatus(Action):
    """Answers with the order's refund: its status, amount and dates."""

    def name(self) -> str:
        """Name used in the domain."""
        return "action_check_refund_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Only for a proven order; forgets the reference so a later question asks anew."""
        number = proven_number(tracker)
        events = form_done(REFERENCE)
        if number is None:
            return events
        order = await order_or_shop_down(dispatcher, number)
        if order is None:
            return events
        refund = order.refund
        if refund is None:
            dispatcher.utter_message(response="utter_refund_not_requested", order_number=number)
        else:
            response = pick_response(
                domain, f"utter_refund_status_{refund.status}", "utter_refund_status"
            )
            dispatcher.utter_message(response=response, **refund_facts(refund))
            await count_outcome(tracker, REFUND_STATUS_ANSWERED)
        return events
