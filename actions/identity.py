"""Who the customer is: a signed widget token, a remembered Slack/Telegram user, or an email the
shop confirmed for an order.

`ActionIdentifyCustomer` runs after every customer message, within `action_read_turn`
(actions/turn_hook.py; the `verified_email` slot names that in a custom mapping): it takes the
customer from the widget token the web-chat channel verified (metadata `verified_customer`, trusted
only from `token_channels`), or from Redis for a Slack/Telegram user who proved an email within
`remember_hours`. Emails typed by the customer are checked with the shop by the order forms
(actions/order_forms.py), which call `remember` on success.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import redis
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.history import redis_client
from actions.settings import load_identity_settings
from contract import keys
from contract.metadata import VERIFIED_CUSTOMER_KEY
from contract.slots import PROVEN_ORDER, VERIFIED_EMAIL

logger = logging.getLogger(__name__)

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


def email_in(text: object) -> str | None:
    """The first email address in `text`, lower-cased, or None."""
    found = _EMAIL.search(text) if isinstance(text, str) else None
    return found.group(0).lower() if found else None


def token_email(tracker: Tracker) -> str | None:
    """The customer's email from a signed widget token, if this message came with one."""
    if tracker.get_latest_input_channel() not in load_identity_settings().token_channels:
        return None
    customer = (tracker.latest_message.get("metadata") or {}).get(VERIFIED_CUSTOMER_KEY)
    return email_in(customer.get("email")) if isinstance(customer, dict) else None


async def remember(tracker: Tracker, email: str) -> None:
    """Keeps a Slack/Telegram user's proven email for the configured time (other channels: no)."""
    settings = load_identity_settings()
    channel = tracker.get_latest_input_channel()
    if channel not in settings.remembered_channels or settings.remember_s <= 0:
        return
    try:
        key = keys.verified_customer(channel, tracker.sender_id)
        await redis_client().set(key, email, ex=settings.remember_s)
    except redis.RedisError as error:
        logger.warning("could not remember a verified customer (%s)", error)


async def recalled(tracker: Tracker) -> str | None:
    """The email this Slack/Telegram user proved recently, or None."""
    channel = tracker.get_latest_input_channel()
    if channel not in load_identity_settings().remembered_channels:
        return None
    try:
        value = await redis_client().get(keys.verified_customer(channel, tracker.sender_id))
    except redis.RedisError as error:
        logger.warning("verified customers unavailable (%s)", error)
        return None
    return value.decode() if isinstance(value, bytes) else value


class ActionIdentifyCustomer(Action):
    """Sets `verified_email` from the widget token or the Slack/Telegram memory."""

    def name(self) -> str:
        """Still callable alone, so a model trained before action_read_turn keeps working."""
        return "action_identify_customer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """A token names the customer for every message it comes with; memory fills a gap.

        A token for another customer than the one proven so far (someone else signed in on
        the same browser) replaces them, and the order proven for the old one is forgotten.
        """
        current = tracker.get_slot(VERIFIED_EMAIL)
        found = token_email(tracker) or (None if current else await recalled(tracker))
        if found and found != current:
            return [SlotSet(VERIFIED_EMAIL, found), SlotSet(PROVEN_ORDER, None)]
        return []
