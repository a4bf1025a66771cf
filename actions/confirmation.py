"""Confirming a refund or a cancellation before it is created.

The customer sees what will happen (order, items, amount, reason, where the money goes and
when) and only a clear yes creates it: the confirmation slot is True only from an `affirm`
intent while it is asked. "No" creates nothing. Any other answer is kept as text, so the form
can read it as a correction (another order number, another reason) or ask again.

The shop call carries an idempotency key made from the conversation and the request, so a
repeated or concurrent confirmation of the same request gets the first answer back and never
creates a second refund.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from typing import Any, ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.order_forms import order_or_shop_down
from actions.ownership import STOP
from contract.slots import FLOW_STOPPED, ORDER_NUMBER
from orders.client import Order

YES, NO, OTHER = "yes", "no", "other"


def reply_kind(value: Any) -> str:
    """What the customer answered to "shall I go ahead?": a clear yes, a no, or something else."""
    if value is True:
        return YES
    if value is False:
        return NO
    return OTHER


def yes_or_no(
    slot_value: Any,
    slot: str,
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    no_response: str,
    forget: tuple[str, ...] = (),
) -> dict[str, Any] | None:
    """The slots for a clear yes (go ahead) or a no (the customer is told nothing was done,
    `forget` is cleared and the form ends); None for any other answer, which the form reads."""
    kind = reply_kind(slot_value)
    if kind == YES:
        return {slot: True}
    if kind == NO:
        dispatcher.utter_message(response=no_response, order_number=tracker.get_slot(ORDER_NUMBER))
        return {slot: None, **dict.fromkeys(forget), **STOP}
    return None


def changed_order(tracker: Tracker) -> bool:
    """The customer named an order number in this message: a correction of the order."""
    entities = tracker.latest_message.get("entities") or []
    return any(e.get("entity") == ORDER_NUMBER for e in entities)


def idempotency_key(tracker: Tracker, kind: str, *parts: str) -> str:
    """One key per conversation and request: the same confirmation again maps to it."""
    digest = hashlib.sha256("|".join((tracker.sender_id, kind, *parts)).encode()).hexdigest()
    return f"cs-{kind}-{digest[:40]}"


def items_text(order: Order) -> str:
    """ "Running shoes, 2 x Sports socks"."""
    return ", ".join(
        item.name if item.quantity == 1 else f"{item.quantity} x {item.name}"
        for item in order.items
    )


def money(order: Order) -> str:
    """ "124.50 EUR"."""
    return f"{order.total:.2f} {order.currency}"


class AskConfirmation(Action, ABC):
    """Shows what a refund or a cancellation will do before asking for a yes.

    Order, items and amount come fresh from the shop; an unreachable shop ends the form.
    Needs in the domain: the response named by `response`, with `{order_number}`, `{items}`,
    `{amount}` and whatever `facts` adds.
    """

    response: ClassVar[str]

    @abstractmethod
    def name(self) -> str:
        """action_ask_<form>_<slot>, so rasa_sdk does not register this base class."""

    def facts(self, tracker: Tracker) -> dict[str, Any]:
        """Further values the response shows (the refund's reason)."""
        return {}

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Asks for the yes, or stops the form when the shop is down."""
        number = tracker.get_slot(ORDER_NUMBER)
        order = await order_or_shop_down(dispatcher, number)
        if order is None:
            return [SlotSet(FLOW_STOPPED, True)]
        dispatcher.utter_message(
            response=self.response,
            order_number=number,
            items=items_text(order),
            amount=money(order),
            **self.facts(tracker),
        )
        return []
