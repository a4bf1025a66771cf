"""Proving that the customer owns an order before anything personal is told or done.

An order is proven when the shop confirms that the customer's verified email (widget token,
Slack/Telegram memory, or an email proven earlier in this conversation) is the one on the
order: no question asked. Otherwise the form asks for the email on the order; the shop's
answer is one yes or no (POST /customers/verify). Wrong answers are counted per conversation;
at `max_attempts` no more are taken and a person is offered.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.identity import remember
from actions.settings import load_identity_settings
from actions.shop_access import call_shop, get_shop
from contract.slots import (
    EMAIL,
    FLOW_STOPPED,
    OWNER_EMAIL,
    PROVEN_ORDER,
    VERIFIED_EMAIL,
    VERIFY_ATTEMPTS,
)

STOP: dict[str, Any] = {FLOW_STOPPED: True}
"""Slots that end the current form early (see OrderFormValidation.required_slots)."""


def attempts(tracker: Tracker) -> int:
    """Wrong emails given so far in this conversation."""
    return int(tracker.get_slot(VERIFY_ATTEMPTS) or 0)


def locked(tracker: Tracker) -> bool:
    """No more emails are taken in this conversation."""
    return attempts(tracker) >= load_identity_settings().max_attempts


async def proven_silently(tracker: Tracker, number: str) -> bool:
    """The order is the verified customer's, known without asking (may raise ShopError)."""
    if tracker.get_slot(PROVEN_ORDER) == number:
        return True
    verified = tracker.get_slot(VERIFIED_EMAIL)
    return bool(verified) and await call_shop(get_shop().verify_owner, number, verified)


def utter_locked(dispatcher: CollectingDispatcher, number: str) -> dict[str, Any]:
    """Says no more emails are taken, offers a person, and ends the form."""
    dispatcher.utter_message(response="utter_owner_locked", order_number=number)
    return {OWNER_EMAIL: None, **STOP}


async def check_email(
    email: str, number: str, dispatcher: CollectingDispatcher, tracker: Tracker
) -> dict[str, Any] | None:
    """Checks an email the customer gave for `number` (may raise ShopError).

    Returns None when it is the owner's (the caller goes on with the order), else the slots
    that ask again or end the form.
    """
    if await call_shop(get_shop().verify_owner, number, email):
        return None
    wrong = attempts(tracker) + 1
    left = load_identity_settings().max_attempts - wrong
    if left <= 0:
        return {VERIFY_ATTEMPTS: float(wrong), **utter_locked(dispatcher, number)}
    dispatcher.utter_message(
        response="utter_owner_email_mismatch", order_number=number, tries_left=left
    )
    return {VERIFY_ATTEMPTS: float(wrong), OWNER_EMAIL: None}


async def proven_slots(tracker: Tracker, number: str, email: str | None) -> dict[str, Any]:
    """The slots of a proven order; a newly proven email becomes the verified customer (unless
    one is known already: a widget token is never replaced by a typed email)."""
    slots: dict[str, Any] = {PROVEN_ORDER: number}
    if email and not tracker.get_slot(VERIFIED_EMAIL):
        slots[VERIFIED_EMAIL] = email
        await remember(tracker, email)
    return slots


def earlier_email(tracker: Tracker) -> str | None:
    """An email the customer gave before being asked ("hi, my email is ..."), tried once."""
    email = tracker.get_slot(EMAIL)
    return email.strip().lower() if isinstance(email, str) and not attempts(tracker) else None
