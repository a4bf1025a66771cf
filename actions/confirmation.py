"""Confirming a refund or a cancellation before it is created.

The customer sees what will happen (order, items, amount, reason, where the money goes and
when) and only a clear yes creates it: the confirmation slot is True only from an `affirm`
intent while it is asked, or from a yes worded as the same request again ("ㅇㅇ 취소해줘",
"yes, cancel it": `repeats_request`). "No" creates nothing. Any other answer is kept as text,
so the form can read it as a correction (another order number, another reason) or ask again.

The shop call carries an idempotency key made from the conversation and the request, so a
repeated or concurrent confirmation of the same request gets the first answer back and never
creates a second refund.
"""

from __future__ import annotations

import hashlib
import re
from abc import ABC, abstractmethod
from typing import Any, ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.choices import UNSURE
from actions.order_forms import order_or_shop_down
from actions.ownership import STOP
from actions.settings import load_confirmation_words
from contract.slots import FLOW_STOPPED, ORDER_NUMBER
from orders.client import Order

YES, NO, OTHER = "yes", "no", "other"
# A word of the customer's message: what lies between spaces and punctuation.
_WORD = re.compile(r"[^\s,.!?~;]+")


def reply_kind(value: Any) -> str:
    """What the customer answered to "shall I go ahead?": a clear yes, a no, or something else."""
    if value is True:
        return YES
    if value is False:
        return NO
    return OTHER


def likeliest_readings(message: dict[str, Any], count: int = 2) -> list[str]:
    """The NLU's `count` likeliest intents, the fallback left out: it is a verdict of doubt,
    not a reading."""
    ranking = message.get("intent_ranking") or [message.get("intent") or {}]
    names = [str(entry.get("name")) for entry in ranking if entry.get("name")]
    return [name for name in names if name != UNSURE][:count]


def repeats_request(tracker: Tracker, request_intent: str) -> bool:
    """The answer is a yes worded as the pending request again ("ㅇㅇ 취소해줘" when asked to
    confirm that cancellation): the NLU reads `request_intent`, the message opens with a yes
    word that is not a question ("네?"), holds no "not" word, and names no other order
    (config/confirmation.yml). Without this the yes would be taken as a new, unclear answer.
    Such a message is half a yes and half a request, so the NLU may be unsure between the two
    and fall back: the request among its two likeliest readings is enough."""
    message = tracker.latest_message
    if request_intent not in likeliest_readings(message):
        return False
    text = str(message.get("text") or "").lower().strip()
    words = _WORD.findall(text)
    wording = load_confirmation_words()
    if not words or words[0] not in wording.yes_words or wording.not_words & set(words):
        return False
    if text[len(words[0]) :].lstrip().startswith("?"):
        return False
    named = {
        str(e.get("value"))
        for e in message.get("entities") or []
        if e.get("entity") == ORDER_NUMBER
    }
    return named <= {str(tracker.get_slot(ORDER_NUMBER))}


def yes_or_no(
    slot_value: Any,
    slot: str,
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    no_response: str,
    request_intent: str,
    forget: tuple[str, ...] = (),
) -> dict[str, Any] | None:
    """The slots for a clear yes (go ahead) or a no (the customer is told nothing was done,
    `forget` is cleared and the form ends); None for any other answer, which the form reads.
    `request_intent` is the request being confirmed: said again with a yes, it is a yes."""
    kind = YES if repeats_request(tracker, request_intent) else reply_kind(slot_value)
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
