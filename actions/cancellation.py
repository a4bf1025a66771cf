"""Cancelling an order that has not shipped yet, for its proven owner, after a clear yes."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.confirmation import AskConfirmation, changed_order, idempotency_key, yes_or_no
from actions.metrics import count_outcome
from actions.order_forms import OrderFormValidation, form_done, proven_number, shop_down
from actions.ownership import STOP
from actions.responses import pick_response
from actions.shop_access import call_shop, get_shop
from analytics.recorder import ORDER_CANCELLED
from orders.client import Order, Refused, ShopError

CONFIRMED = "cancel_confirmed"


class ValidateCancelForm(OrderFormValidation):
    """The order must be the customer's and not shipped yet; then a clear yes is asked for."""

    after_order = (CONFIRMED,)

    def name(self) -> str:
        """Name used in the domain."""
        return "validate_cancel_form"

    async def order_found(
        self, order: Order, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Only a `processing` order can be cancelled; others are told why, before any yes."""
        if order.status == "processing":
            return {CONFIRMED: None}
        code = "already_cancelled" if order.status == "cancelled" else "already_shipped"
        response = pick_response(domain, f"utter_cancel_refused_{code}", "utter_cancel_refused")
        dispatcher.utter_message(response=response, order_number=order.order_number, reason="")
        return dict(STOP)

    async def validate_cancel_confirmed(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Yes goes ahead; no keeps the order; another order number is a correction."""
        settled = yes_or_no(
            slot_value, CONFIRMED, dispatcher, tracker, "utter_cancel_kept", "cancel_order"
        )
        if settled is not None:
            return settled
        if not changed_order(tracker):
            dispatcher.utter_message(response="utter_confirm_yes_or_no")
        return {CONFIRMED: None}


class ActionAskCancelConfirmed(AskConfirmation):
    """Shows what the cancellation does before asking for a yes."""

    response = "utter_ask_cancel_form_cancel_confirmed"

    def name(self) -> str:
        """Rasa asks the form's slot with this action (action_ask_<form>_<slot>)."""
        return "action_ask_cancel_form_cancel_confirmed"


class ActionCancelOrder(Action):
    """Cancels the order once its owner said yes, and says what happens to the money."""

    def name(self) -> str:
        """Name used in the domain."""
        return "action_cancel_order"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Cancels, or explains why not (utter_cancel_refused_<code>)."""
        number = proven_number(tracker)
        reset = form_done(CONFIRMED)
        if number is None or tracker.get_slot(CONFIRMED) is not True:
            return reset
        key = idempotency_key(tracker, "cancel", number)
        try:
            await call_shop(get_shop().cancel_order, number, key)
        except Refused as refusal:
            response = pick_response(
                domain, f"utter_cancel_refused_{refusal.code}", "utter_cancel_refused"
            )
            dispatcher.utter_message(response=response, order_number=number, reason=refusal.message)
            return reset
        except ShopError:
            shop_down(dispatcher)
            return reset
        dispatcher.utter_message(response="utter_order_cancelled", order_number=number)
        await count_outcome(tracker, ORDER_CANCELLED)
        return reset
