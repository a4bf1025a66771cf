"""How many wrong emails may be tried, per conversation's sender, per order and per client
address, in a moving window shared by every action server (Redis).

A probe guessed 30 emails for one order in 1.5 s: the tries were counted in a slot of the
conversation, which `/restart` and a new sender id reset. Here a wrong email is counted three
times in Redis, under the sender id, the order and the address the channel saw
(`contract.metadata.CLIENT_ADDRESS_KEY`; Slack and Telegram have none), and a new email is
checked only while all three are under their limits (config/identity.yml
`wrong_email_limits`). Only wrong answers count, so an owner who proves the order is never
slowed by their own right answers.

The `limits` package's moving window (one Lua script per hit) does the counting, as for the
handoff limits (tickets/rate_limit.py). Its calls block, so the action runs them off the event
loop (`asyncio.to_thread`).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from contract.addresses import Networks, within

NAMESPACE = "cs:wrong-email"


@dataclass(frozen=True)
class WrongEmailLimits:
    """Limits in the `limits` notation ("3 per hour"), from config/identity.yml."""

    per_sender: str
    per_order: str
    per_address: str


class WrongEmailLimiter:
    """Says how long until another email may be checked, and counts the wrong ones."""

    def __init__(
        self, redis_url: str, limits: WrongEmailLimits, exempt_addresses: Networks = ()
    ) -> None:
        """`redis_url`: the shared Redis; nothing connects until the first check."""
        # The strategy holds its storage by weak reference only: keep it alive here.
        self._storage = storage_from_string(redis_url)
        self._limiter = MovingWindowRateLimiter(self._storage)
        self._items = {
            "sender": parse(limits.per_sender),
            "order": parse(limits.per_order),
            "address": parse(limits.per_address),
        }
        self._exempt = tuple(exempt_addresses)

    def _checks(
        self, sender: str, order: str, address: str | None
    ) -> Iterable[tuple[RateLimitItem, str, str]]:
        yield self._items["sender"], "sender", sender
        yield self._items["order"], "order", order
        if address and not within(address, self._exempt):
            yield self._items["address"], "address", address

    def wait_s(self, sender: str, order: str, address: str | None) -> float:
        """Blocking. Seconds until another email may be checked (0: now)."""
        wait = 0.0
        for item, kind, value in self._checks(sender, order, address):
            if not self._limiter.test(item, NAMESPACE, kind, value):
                reset, _ = self._limiter.get_window_stats(item, NAMESPACE, kind, value)
                wait = max(wait, reset - time.time(), 1.0)
        return wait

    def wrong(self, sender: str, order: str, address: str | None) -> None:
        """Blocking. Counts one wrong email against the sender, the order and the address."""
        for item, kind, value in self._checks(sender, order, address):
            self._limiter.hit(item, NAMESPACE, kind, value)
