"""A message that only gives something (an order number, an email, a refund reference).

Outside a flow the assistant asks what the customer wants with it, naming only what was
actually given: "hi, my email is ..." once got "What would you like to do with order None?".
A remark that gives nothing ("the lamp was broken") is about the conversation's order, if any.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.shop_access import normalize_order_number
from contract.slots import ORDER_NUMBER


def _entity(tracker: Tracker, name: str) -> str | None:
    values = [e.get("value") for e in tracker.latest_message.get("entities") or []
              if e.get("entity") == name]  # fmt: skip
    return next((v for v in values if isinstance(v, str)), None)


class ActionHandleInform(Action):
    """Asks what to do with the order or refund given, or notes an email."""

    def name(self) -> str:
        """Name used in the domain."""
        return "action_handle_inform"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """The first thing given decides the question: order, then reference, then email;
        with nothing given, the order the conversation is about."""
        number = normalize_order_number(_entity(tracker, "order_number"))
        reference = _entity(tracker, "refund_reference")
        if number:
            dispatcher.utter_message(response="utter_what_about_order", order_number=number)
        elif reference:
            dispatcher.utter_message(
                response="utter_what_about_refund", refund_reference=reference.upper()
            )
        elif _entity(tracker, "email"):
            dispatcher.utter_message(response="utter_email_noted")
        elif context := normalize_order_number(tracker.get_slot(ORDER_NUMBER)):
            # "the lamp was broken" right after a refund on the lamp's order: that order is
            # the one meant, so the customer is not asked for its number again.
            dispatcher.utter_message(response="utter_what_about_order", order_number=context)
        else:
            dispatcher.utter_message(response="utter_what_do_you_need")
        return []
