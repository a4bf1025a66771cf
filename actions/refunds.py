"""Refunds: the request form with the shop's eligibility check, and the refund status."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.metrics import count_outcome
from actions.order_forms import STOP_FORM, OrderFormValidation
from actions.responses import pick_response
from actions.shop_access import call_shop, format_date, get_shop
from analytics.recorder import REFUND_CREATED, REFUND_STATUS_ANSWERED
from shop_client import NotFound, Order, Refund, Refused, ShopError

MAX_REASON_CHARS = 500
# Customers read refund states in words, not the shop's codes.
REFUND_STATES = {"pending": "being processed", "paid": "paid out"}


def refund_facts(refund: Refund) -> dict[str, Any]:
    """The refund's fields as the refund responses use them."""
    return {
        "refund_reference": refund.reference,
        "order_number": refund.order_number,
        "amount": f"{refund.amount:.2f}",
        "currency": refund.currency,
        "status": REFUND_STATES.get(refund.status, refund.status),
        "expected_by": format_date(refund.expected_by),
    }


def utter_ineligible(
    dispatcher: CollectingDispatcher, domain: DomainDict, number: str, code: str, message: str
) -> None:
    """Tells why the order can't be refunded and what the customer can do instead."""
    response = pick_response(domain, f"utter_refund_ineligible_{code}", "utter_refund_ineligible")
    dispatcher.utter_message(response=response, order_number=number, reason=message)


class ValidateRefundForm(OrderFormValidation):
    """Asks the shop whether the order can be refunded before asking for a reason."""

    def name(self) -> str:
        """Name used in the domain."""
        return "validate_refund_form"

    async def order_found(
        self,
        order: Order,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Ends the form with the reason when the order is not eligible."""
        try:
            eligibility = await call_shop(get_shop().refund_eligibility, order.order_number)
        except ShopError:
            dispatcher.utter_message(response="utter_shop_unavailable")
            return {"order_number": None, **STOP_FORM}
        if not eligibility.eligible:
            utter_ineligible(
                dispatcher, domain, order.order_number, eligibility.reason, eligibility.message
            )
            return STOP_FORM
        if order.status == "lost":
            # The reason is already known: the customer should not have to type it.
            return {"refund_reason": "Parcel lost in transit"}
        return {}

    async def validate_refund_reason(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Any non-empty text is a reason; very long ones are cut to what the shop stores."""
        reason = slot_value.strip() if isinstance(slot_value, str) else ""
        return {"refund_reason": reason[:MAX_REASON_CHARS] or None}


class ActionSubmitRefund(Action):
    """Creates the refund and gives its reference and when the money arrives."""

    def name(self) -> str:
        """Name used in the domain."""
        return "action_submit_refund"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Does nothing when the form ended early (ineligible order, shop down)."""
        number = tracker.get_slot("order_number")
        reason = tracker.get_slot("refund_reason")
        events: list[dict[str, Any]] = [SlotSet("refund_reason", None)]
        if not number or not reason:
            return events
        try:
            refund = await call_shop(get_shop().create_refund, number, reason)
        except Refused as refusal:
            utter_ineligible(dispatcher, domain, number, refusal.code, refusal.message)
            return events
        except ShopError:
            dispatcher.utter_message(response="utter_shop_unavailable")
            return events
        dispatcher.utter_message(response="utter_refund_created", **refund_facts(refund))
        await count_outcome(tracker, REFUND_CREATED)
        return events + [SlotSet("refund_reference", refund.reference)]


class ValidateRefundStatusForm(OrderFormValidation):
    """A refund reference is enough; otherwise the order number is asked for."""

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
        """No order number needed when the customer gave the refund's reference."""
        return [] if tracker.get_slot("refund_reference") else domain_slots


class ActionCheckRefundStatus(Action):
    """Looks the refund up by reference, or as the refund of the given order."""

    def name(self) -> str:
        """Name used in the domain."""
        return "action_check_refund_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Forgets the reference afterwards so a later question about another order asks anew."""
        reference: str | None = tracker.get_slot("refund_reference")
        number: str | None = tracker.get_slot("order_number")
        events: list[dict[str, Any]] = [SlotSet("refund_reference", None)]
        shop = get_shop()
        try:
            if reference:
                refund: Refund | None = await call_shop(shop.get_refund, reference.upper())
            elif number:
                refund = (await call_shop(shop.get_order, number)).refund
            else:
                return events
        except (NotFound, Refused):
            dispatcher.utter_message(response="utter_refund_not_found", refund_reference=reference)
            return events
        except ShopError:
            dispatcher.utter_message(response="utter_shop_unavailable")
            return events
        if refund is None:
            dispatcher.utter_message(response="utter_refund_not_requested", order_number=number)
        else:
            dispatcher.utter_message(response="utter_refund_status", **refund_facts(refund))
            await count_outcome(tracker, REFUND_STATUS_ANSWERED)
        return events
