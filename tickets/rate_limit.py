"""How many handoffs one conversation, and one client address, may open in a window.

A fuzzing run of 2,100 requests opened 454 tickets: every request for a person becomes work
for a human, so a script (or a stuck client) could bury the queue. A new ticket is counted
against its conversation and against the customer's address (the channel's view of the
connection, `contract.metadata.CLIENT_ADDRESS_KEY`); once either has reached its limit, no
ticket is opened and the customer is told so. A conversation whose ticket is still open keeps
it, and asking again costs nothing.

The `limits` package does the counting (a moving window kept in Redis with one Lua script, so
every action server behind a balancer shares the counts): the rate-limiting library Flask-Limiter
and SlowAPI are built on. Its 3.x releases need packaging>=21 while Rasa 3.6 pins packaging<21;
2.3.3 needs only setuptools and has the same moving window and Redis storage.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Network, IPv6Network

from limits import RateLimitItem, parse
from limits.storage import RedisStorage
from limits.strategies import MovingWindowRateLimiter

from contract.addresses import within
from settings.redis_target import connect

NAMESPACE = "cs:handoff-limit"


@dataclass(frozen=True)
class HandoffLimits:
    """Limits in the `limits` notation ("3 per hour", "10/day"), from config/desk.yml."""

    per_conversation: str
    per_address: str
    # Addresses or networks not limited per address: none by default (a same-host proxy or
    # tunnel would make every customer one of them); tests list loopback
    # (RATE_LIMIT_EXEMPT_ADDRESSES). Behind a proxy, set TRUSTED_PROXIES instead.
    unlimited_addresses: tuple[IPv4Network | IPv6Network, ...] = ()


def parse_limit(text: str) -> RateLimitItem:
    """'3 per hour' -> the limit; ValueError for text `limits` cannot read."""
    return parse(text)


class HandoffLimiter:
    """Says whether a new ticket may be opened, and counts it when it may."""

    def __init__(self, redis_url: str, limits: HandoffLimits) -> None:
        """`redis_url`: the shared Redis; nothing connects until the first check."""
        # The strategy holds its storage by weak reference only: keep it alive here.
        self._storage = RedisStorage("redis://")  # its own client is replaced, never used
        self._storage.storage = connect(redis_url, decode_responses=False)
        self._storage.initialize_storage(redis_url)
        self._limiter = MovingWindowRateLimiter(self._storage)
        self._per_conversation = parse_limit(limits.per_conversation)
        self._per_address = parse_limit(limits.per_address)
        self._unlimited = limits.unlimited_addresses

    def allow(self, conversation_id: str, address: str | None) -> bool:
        """Blocking. True (and counted) when neither limit is reached; False otherwise."""
        checks = [(self._per_conversation, "conversation", conversation_id)]
        if address and not within(address, self._unlimited):
            checks.append((self._per_address, "address", address))
        if not all(self._limiter.test(item, NAMESPACE, *key) for item, *key in checks):
            return False
        for item, *key in checks:
            self._limiter.hit(item, NAMESPACE, *key)
        return True
