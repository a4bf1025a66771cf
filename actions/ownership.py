"""Proving that the customer owns an order before anything personal is told or done.

An order is proven when the shop confirms that the customer's verified email (widget token,
Slack/Telegram memory, or an email proven earlier in this conversation) is the one on the
order: no question asked. Otherwise the form asks for the email on the order; the shop's
answer is one yes or no (POST /customers/verify). Wrong answers are counted per conversation
(at `max_attempts` no more are taken and a person is offered) and, where /restart and new
sender ids cannot reset them, per sender, per order and per client address
(actions/guess_limits.py): while one of those is reached, no email is checked and the customer
is told how long to wait and what else works.
"""

from __future__ import annotations

import asyncio
import logging
import math
from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network
from typing import Any

import redis
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.guess_limits import WrongEmailLimiter, WrongEmailLimits
from actions.identity import remember
from actions.settings import load_identity_settings, load_settings
from actions.shop_access import call_shop, get_shop
from contract.events import latest_client_address
from contract.slots import (
    EMAIL,
    FLOW_STOPPED,
    OWNER_EMAIL,
    PROVEN_ORDER,
    VERIFIED_EMAIL,
    VERIFY_ATTEMPTS,
)

logger = logging.getLogger(__name__)

STOP: dict[str, Any] = {FLOW_STOPPED: True}
"""Slots that end the current form early (see OrderFormValidation.required_slots)."""


def get_wrong_email_limiter() -> WrongEmailLimiter:
    """The process's limiter (config/identity.yml `wrong_email_limits`), made on first use."""
    settings = load_settings()
    limits = load_identity_settings().wrong_email_limits
    return _limiter(settings.redis_url, limits, settings.exempt_addresses)


@lru_cache(maxsize=4)
def _limiter(
    redis_url: str, limits: WrongEmailLimits, exempt: tuple[IPv4Network | IPv6Network, ...]
) -> WrongEmailLimiter:
    return WrongEmailLimiter(redis_url, limits, exempt)


def client_address(tracker: Tracker) -> str | None:
    """The address the channel saw this message come from (REST, widget), else None."""
    return latest_client_address(tracker.events)


async def guess_wait_s(tracker: Tracker, number: str) -> float:
    """Seconds until another email may be checked for `number` from here (0: now).

    Redis unreachable: the per-conversation count still holds, so the check goes on.
    """
    limiter = get_wrong_email_limiter()
    try:
        return await asyncio.to_thread(
            limiter.wait_s, tracker.sender_id, number, client_address(tracker)
        )
    except redis.RedisError as error:
        logger.warning("wrong-email limits unavailable (%s); not checked", error)
        return 0.0


async def count_wrong_email(tracker: Tracker, number: str) -> None:
    """Counts a wrong email against the sender, the order and the address."""
    limiter = get_wrong_email_limiter()
    try:
        await asyncio.to_thread(limiter.wrong, tracker.sender_id, number, client_address(tracker))
    except redis.RedisError as error:
        logger.warning("wrong-email limits unavailable (%s); not counted", error)


def utter_guesses_limited(
    dispatcher: CollectingDispatcher, number: str, wait_s: float
) -> dict[str, Any]:
    """Says no email is checked for a while, what else works, and ends the form."""
    minutes = max(1, math.ceil(wait_s / 60))
    dispatcher.utter_message(
        response="utter_owner_guesses_limited", order_number=number, minutes=minutes
    )
    return {OWNER_EMAIL: None, **STOP}


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
    that ask again or end the form. While a wrong-email limit is reached the shop is not asked.
    """
    wait_s = await guess_wait_s(tracker, number)
    if wait_s > 0:
        return utter_guesses_limited(dispatcher, number, wait_s)
    if await call_shop(get_shop().verify_owner, number, email):
        return None
    await count_wrong_email(tracker, number)
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
