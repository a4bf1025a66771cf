"""The order number every order flow starts from, and the proof that the order is the customer's.

Each order form validates `order_number` against the shop the same way; forms that tell
anything personal or act on the order (refund, cancel, refund status) then need the order's
owner (actions/ownership.py) before their own slots are asked.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from typing import Any, ClassVar

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.identity import email_in
from actions.no_number import says_no_number
from actions.ownership import (
    STOP,
    check_email,
    earlier_email,
    locked,
    proven_silently,
    proven_slots,
    utter_locked,
)
from actions.shop_access import call_shop, get_shop, normalize_order_number
from contract.slots import FLOW_STOPPED, ORDER_NUMBER, OWNER_EMAIL, PROVEN_ORDER
from orders.client import NotFound, Order, ShopError


def shop_down(dispatcher: CollectingDispatcher) -> dict[str, Any]:
    """Says the shop cannot be reached (a person is offered) and ends the form."""
    dispatcher.utter_message(response="utter_shop_unavailable")
    return dict(STOP)


async def order_or_shop_down(dispatcher: CollectingDispatcher, number: str) -> Order | None:
    """The order fresh from the shop, or None once the customer was told the shop is down."""
    try:
        return await call_shop(get_shop().get_order, number)
    except ShopError:
        shop_down(dispatcher)
        return None


def named_orders(slot_value: Any) -> list[str]:
    """The different order numbers in a value or list of values (Rasa fills the slot with
    one of them when one message holds several, so the message's entities are read too)."""
    values = slot_value if isinstance(slot_value, list) else [slot_value]
    numbers = [normalize_order_number(v) for v in values]
    return list(dict.fromkeys(n for n in numbers if n))


def proven_number(tracker: Tracker) -> str | None:
    """The form's order number once its owner is proven; None when the form ended early
    (no order, not the owner), so the action after the form does nothing."""
    number = tracker.get_slot(ORDER_NUMBER)
    return number if number and tracker.get_slot(PROVEN_ORDER) == number else None


def form_done(*slots: str) -> list[dict[str, Any]]:
    """Events that forget a finished form's own slots and its stop mark, so the next request
    of the same kind asks anew."""
    return [SlotSet(slot, None) for slot in (*slots, FLOW_STOPPED)]


class OrderFormValidation(FormValidationAction, ABC):
    """Validates `order_number` against the shop and, if `needs_owner`, proves the owner.

    Needs in the domain: slots `order_number`, `owner_email`, `proven_order`, `verified_email`,
    `verify_attempts`, `flow_stopped`; the form's required slots listing `owner_email` when it
    needs the owner; responses utter_order_number_invalid, utter_no_order_number,
    utter_order_not_found, utter_shop_unavailable, utter_owner_email_invalid,
    utter_owner_email_mismatch, utter_owner_locked. A wrong number is answered and asked again;
    a customer who has no number, or an unreachable shop, ends the form with an offer of a
    person.
    """

    needs_owner: ClassVar[bool] = True
    # The form's own slots, asked once the order is known (and proven, if needed).
    after_order: ClassVar[tuple[str, ...]] = ()

    @abstractmethod
    def name(self) -> str:
        """validate_<form name>, so rasa_sdk does not register this base class."""

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """The order, then its owner's email unless proven, then the form's own slots.

        Empty once a validation stopped the form: Rasa then ends it and the submit action,
        seeing `flow_stopped`, does nothing.
        """
        if tracker.get_slot(FLOW_STOPPED):
            return []
        slots = [ORDER_NUMBER]
        number = tracker.get_slot(ORDER_NUMBER)
        if self.needs_owner and number and tracker.get_slot(PROVEN_ORDER) != number:
            slots.append(OWNER_EMAIL)
        return slots + list(self.after_order)

    async def validate_order_number(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Accepts the number when the shop knows the order, then looks for its owner.

        Two different orders in one message ("10001 or 10003?") are ambiguous: the customer
        is asked which one, with a button for each, rather than told neither is a number."""
        entities = tracker.latest_message.get("entities") or []
        given = [e.get("value") for e in entities if e.get("entity") == ORDER_NUMBER]
        named = named_orders([*given, *(slot_value if isinstance(slot_value, list) else [])])
        if len(named) > 1:
            buttons = [{"title": f"Order {n}", "payload": f"/inform{json.dumps({ORDER_NUMBER: n})}"}
                       for n in named]  # fmt: skip
            dispatcher.utter_message(
                response="utter_which_order", orders=" or ".join(named), buttons=buttons
            )
            return {ORDER_NUMBER: None}
        number = normalize_order_number(named[0] if named else slot_value)
        if number is None and says_no_number(str(tracker.latest_message.get("text") or "")):
            # Asking again would be a dead end: where to find it, a person, and the form ends.
            dispatcher.utter_message(response="utter_no_order_number")
            return {ORDER_NUMBER: None, **STOP}
        if number is None:
            dispatcher.utter_message(response="utter_order_number_invalid")
            return {ORDER_NUMBER: None}
        try:
            order = await call_shop(get_shop().get_order, number)
            return {ORDER_NUMBER: number, **await self.accept(order, dispatcher, tracker, domain)}
        except NotFound:
            dispatcher.utter_message(response="utter_order_not_found", order_number=number)
            return {ORDER_NUMBER: None}
        except ShopError:  # unavailable or an unusable answer: the same for the customer
            return {ORDER_NUMBER: None, **shop_down(dispatcher)}

    async def accept(
        self, order: Order, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A known order: proven without asking if possible, else the email will be asked.

        May raise ShopError (the caller answers it).
        """
        number = order.order_number
        if not self.needs_owner:
            return await self.order_found(order, dispatcher, tracker, domain)
        if await proven_silently(tracker, number):
            proven = await proven_slots(tracker, number, None)
            return {**proven, **await self.order_found(order, dispatcher, tracker, domain)}
        if locked(tracker):
            return utter_locked(dispatcher, number)
        given = earlier_email(tracker)
        if given:
            return await self.answer(given, order, dispatcher, tracker, domain)
        return {PROVEN_ORDER: None, OWNER_EMAIL: None}

    async def answer(
        self,
        email: str,
        order: Order,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """The customer's email for the order: proven, asked again, or no more tries."""
        refused = await check_email(email, order.order_number, dispatcher, tracker)
        if refused is not None:
            return refused
        proven = await proven_slots(tracker, order.order_number, email)
        found = await self.order_found(order, dispatcher, tracker, domain)
        return {OWNER_EMAIL: email, **proven, **found}

    async def validate_owner_email(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Whatever the customer typed: an email is checked with the shop, anything else is
        asked again without counting as a wrong answer."""
        number = tracker.get_slot(ORDER_NUMBER)
        email = email_in(slot_value)
        if email is None and ORDER_NUMBER in tracker.slots_to_validate():
            # Another order named instead of an email ("it's order 10002"): that number's own
            # validation answers it and asks for its email; "not an email" would be wrong.
            return {OWNER_EMAIL: None}
        if email is None or not number:
            dispatcher.utter_message(response="utter_owner_email_invalid", order_number=number)
            return {OWNER_EMAIL: None}
        try:
            order = await call_shop(get_shop().get_order, number)
            return await self.answer(email, order, dispatcher, tracker, domain)
        except ShopError:
            return {OWNER_EMAIL: None, **shop_down(dispatcher)}

    async def order_found(
        self,
        order: Order,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Form-specific checks on a known (and, if needed, proven) order; slots to set."""
        return {}


class ValidateDeliveryForm(OrderFormValidation):
    """Status and expected date are told on the number alone, as a carrier's page does."""

    needs_owner = False

    def name(self) -> str:
        """Name used in the domain."""
        return "validate_delivery_form"
