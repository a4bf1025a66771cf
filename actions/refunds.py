"""Refund requests: the owner's order, the shop's eligibility check, a reason, a clear yes.

The reason given in the request itself is used ("order 10002, they're too small"); otherwise
it is asked, and whatever the customer types is a reason except a bare yes/ok/no. Before the
refund is created the customer sees order, items, amount, reason and where the money goes,
and only a clear yes creates it (actions/confirmation.py).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.choices import request_words
from actions.confirmation import AskConfirmation, changed_order, idempotency_key, yes_or_no
from actions.metrics import count_outcome
from actions.order_forms import (
    OrderFormValidation,
    form_done,
    order_or_shop_down,
    proven_number,
    shop_down,
)
from actions.ownership import STOP
from actions.refund_reasons import is_reason, reason_in_request, sounds_like_reason
from actions.refund_status import refund_facts
from actions.responses import pick_response
from actions.settings import load_refund_wording
from actions.shop_access import call_shop, get_shop
from analytics.recorder import REFUND_CREATED
from orders.client import Order, Refused, ShopError

MAX_REASON_CHARS = 500
REASON = "refund_reason"
CONFIRMED = "refund_confirmed"
LOST_REASON = "Parcel lost in transit"


def utter_ineligible(
    dispatcher: CollectingDispatcher, domain: DomainDict, order: Order, code: str, message: str
) -> None:
    """Tells why the order can't be refunded and what the customer can do instead; an existing
    refund is answered with its status."""
    if code == "already_refunded" and order.refund is not None:
        dispatcher.utter_message(response="utter_refund_exists", **refund_facts(order.refund))
        return
    response = pick_response(domain, f"utter_refund_ineligible_{code}", "utter_refund_ineligible")
    dispatcher.utter_message(response=response, order_number=order.order_number, reason=message)


def reason_already_given(tracker: Tracker) -> str | None:
    """A reason in this message or in the one that asked for the refund, if either holds one
    (a refund chosen from the offered choices asked with the unclear message's words)."""
    wording = load_refund_wording()
    texts = [tracker.latest_message.get("text") or ""]
    texts.append(request_words(tracker.events, "request_refund") or "")
    for text in texts:
        reason = reason_in_request(text, wording)
        if reason:
            return reason[:MAX_REASON_CHARS]
    return None


class ValidateRefundForm(OrderFormValidation):
    """Owner first, then the shop's eligibility, then the reason and a clear yes."""

    after_order = (REASON, CONFIRMED)

    def name(self) -> str:
        """Name used in the domain."""
        return "validate_refund_form"

    async def order_found(
        self, order: Order, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Ends the form with the reason when the order is not eligible."""
        try:
            eligibility = await call_shop(get_shop().refund_eligibility, order.order_number)
        except ShopError:
            return shop_down(dispatcher)
        if not eligibility.eligible:
            utter_ineligible(dispatcher, domain, order, eligibility.reason, eligibility.message)
            return dict(STOP)
        slots: dict[str, Any] = {CONFIRMED: None}
        if order.status == "lost":  # the reason is known: the customer need not type it
            slots[REASON] = LOST_REASON
        elif not tracker.get_slot(REASON):
            slots[REASON] = reason_already_given(tracker)
        return slots

    async def validate_refund_reason(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Any text that says something is a reason; very long ones are cut to what the shop
        stores. A bare yes/ok/no, a blank or an emoji is asked again."""
        text = slot_value.strip() if isinstance(slot_value, str) else ""
        if not is_reason(text, load_refund_wording()):
            dispatcher.utter_message(response="utter_refund_reason_needed")
            return {REASON: None}
        return {REASON: text[:MAX_REASON_CHARS]}

    async def validate_refund_confirmed(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Yes goes ahead; no creates nothing; a new order number or reason is a correction
        (shown again for a yes); anything else asks for a yes or no."""
        dropped = "utter_refund_dropped"
        settled = yes_or_no(
            slot_value, CONFIRMED, dispatcher, tracker, dropped, "request_refund", (REASON,)
        )
        if settled is not None:
            return settled
        if changed_order(tracker):
            return {CONFIRMED: None}
        if sounds_like_reason(str(slot_value), load_refund_wording()):
            reason = reason_in_request(str(slot_value), load_refund_wording())
            return {CONFIRMED: None, REASON: (reason or str(slot_value).strip())[:MAX_REASON_CHARS]}
        dispatcher.utter_message(response="utter_confirm_yes_or_no")
        return {CONFIRMED: None}


class ActionAskRefundConfirmed(AskConfirmation):
    """Shows what the refund will be, reason included, before asking for a yes."""

    response = "utter_ask_refund_form_refund_confirmed"

    def name(self) -> str:
        """Rasa asks the form's slot with this action (action_ask_<form>_<slot>)."""
        return "action_ask_refund_form_refund_confirmed"

    def facts(self, tracker: Tracker) -> dict[str, Any]:
        """The reason the refund will be filed with."""
        return {"reason": tracker.get_slot(REASON)}


class ActionSubmitRefund(Action):
    """Creates the refund once its owner said yes, and gives its reference and arrival date."""

    def name(self) -> str:
        """Name used in the domain."""
        return "action_submit_refund"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Does nothing when the form ended early (not the owner, ineligible, no, shop down)."""
        number = proven_number(tracker)
        reason = tracker.get_slot(REASON)
        events = form_done(REASON, CONFIRMED)
        if number is None or not reason or tracker.get_slot(CONFIRMED) is not True:
            return events
        key = idempotency_key(tracker, "refund", number, reason)
        try:
            refund = await call_shop(get_shop().create_refund, number, reason, key)
        except Refused as refusal:  # the order changed since it was checked (e.g. refunded)
            order = await order_or_shop_down(dispatcher, number)
            if order is not None:
                utter_ineligible(dispatcher, domain, order, refusal.code, refusal.message)
            return events
        except ShopError:
            shop_down(dispatcher)
            return events
        dispatcher.utter_message(response="utter_refund_created", **refund_facts(refund))
        await count_outcome(tracker, REFUND_CREATED)
        return events + [SlotSet("refund_reference", refund.reference)]
