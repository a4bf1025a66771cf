"""The order number that every order flow starts from, validated the same way in each form."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.shop_access import call_shop, get_shop, normalize_order_number
from shop_client import NotFound, Order, ShopError

# Returning this from a validate_<slot> method ends the form early: Rasa's FormAction treats
# `requested_slot` set to None as "done", and the form's submit action then finds nothing to do.
STOP_FORM: dict[str, Any] = {"requested_slot": None}


class OrderFormValidation(FormValidationAction, ABC):
    """Validates `order_number` against the shop for a form that needs an existing order.

    Needs in the domain: slot `order_number`, responses `utter_order_number_invalid`,
    `utter_order_not_found`, `utter_shop_unavailable`. A wrong number is answered and asked
    again (the form re-asks); an unreachable shop ends the form with an offer of a person.
    """

    @abstractmethod
    def name(self) -> str:
        """validate_<form name>, so rasa_sdk does not register this base class."""

    async def validate_order_number(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Accepts the number when the shop knows the order."""
        number = normalize_order_number(slot_value)
        if number is None:
            dispatcher.utter_message(response="utter_order_number_invalid")
            return {"order_number": None}
        try:
            order = await call_shop(get_shop().get_order, number)
        except NotFound:
            dispatcher.utter_message(response="utter_order_not_found", order_number=number)
            return {"order_number": None}
        except ShopError:  # unavailable or an unusable answer: the same for the customer
            dispatcher.utter_message(response="utter_shop_unavailable")
            return {"order_number": None, **STOP_FORM}
        return {
            "order_number": number,
            **await self.order_found(order, dispatcher, tracker, domain),
        }

    async def order_found(
        self,
        order: Order,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Form-specific checks on a known order; the slots to set besides the number."""
        return {}


class ValidateDeliveryForm(OrderFormValidation):
    """Delivery status needs only a known order."""

    def name(self) -> str:
        """Name used in the domain."""
        return "validate_delivery_form"


class ValidateCancelForm(OrderFormValidation):
    """Cancellation needs a known order; the shop decides whether it can still be cancelled."""

    def name(self) -> str:
        """Name used in the domain."""
        return "validate_cancel_form"
