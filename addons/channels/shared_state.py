"""What every Rasa server must agree on about a chat platform, kept in Redis.

Several Rasa servers behind a load balancer each receive some of a platform's webhook calls
and some of the agent desk's API calls. Two facts must therefore live outside any one process:
which deliveries were already handled (platforms retry, and a retry may land on another
server), and where a conversation's replies go (the agent's reply may be sent by a server
that never saw the customer's message).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from redis import asyncio as aioredis

from contract import keys
from contract.at_rest import sealer
from settings.redis_target import connect_async

logger = logging.getLogger(__name__)

SEEN_TTL_S = 24 * 3600
# A delivery being handled is marked for this long only: should the server die meanwhile, a
# resend of it is handled after this, not skipped for a day.
HANDLING_TTL_S = 120
# A ticket can wait for a person overnight or over a weekend; replies must still find the chat.
ROUTE_TTL_S = 30 * 24 * 3600


class SharedState:
    """Redis-backed delivery log and reply routes for one channel (slack, telegram, ...)."""

    def __init__(self, redis_url: str, channel: str) -> None:
        """No connection is opened here; the first command opens one inside the server loop."""
        self._redis = connect_async(redis_url, decode_responses=True, timeout_s=5)
        self._channel = channel

    def _key(self, kind: str, name: str) -> str:
        return keys.channel_state(self._channel, kind, name)

    async def first_delivery(self, delivery_id: str, ttl_s: int = SEEN_TTL_S) -> bool:
        """True for the first call with this id across all servers, False for every retry
        (for `ttl_s`; pass HANDLING_TTL_S and call `keep_answer` once it is handled)."""
        return bool(await self._redis.set(self._key("seen", delivery_id), "1", nx=True, ex=ttl_s))

    async def forget_delivery(self, delivery_id: str) -> None:
        """The delivery failed: its retry must be handled, not skipped as a duplicate.

        Should Redis fail between marking and forgetting (rare), the mark stays and the retry
        is skipped as handled; that is logged.
        """
        try:
            await self._redis.delete(self._key("seen", delivery_id))
        except aioredis.RedisError as error:
            logger.error(
                "%s: delivery %s stays marked handled: %s", self._channel, delivery_id, error
            )

    async def keep_answer(self, delivery_id: str, answer: dict[str, Any]) -> None:
        """The delivery was handled: what it was answered, for a resend of it
        (`earlier_answer`), kept SEEN_TTL_S and sealed (replies can tell about an order:
        contract/at_rest.py). Should Redis fail here, that is logged, and a resend is handled
        again once the HANDLING_TTL_S mark expires."""
        sealed = sealer().seal(json.dumps(answer))
        try:
            await self._redis.set(self._key("seen", delivery_id), sealed, ex=SEEN_TTL_S)
        except aioredis.RedisError as error:
            logger.error(
                "%s: delivery %s handled but not noted: %s", self._channel, delivery_id, error
            )

    async def earlier_answer(self, delivery_id: str) -> dict[str, Any] | None:
        """The answer kept for a delivery; None while it is still being handled (or failed)."""
        raw = await self._redis.get(self._key("seen", delivery_id))
        if not raw or raw == "1":  # the mark `first_delivery` sets
            return None
        answer = json.loads(sealer().open(raw))
        return answer if isinstance(answer, dict) else None

    async def remember_route(self, conversation_id: str, route: dict[str, Any]) -> None:
        """Where this conversation's replies go (the chat the customer last wrote from)."""
        await self._redis.set(
            self._key("route", conversation_id), json.dumps(route), ex=ROUTE_TTL_S
        )

    async def route(self, conversation_id: str) -> dict[str, Any] | None:
        """The remembered route, or None for a conversation this channel never saw."""
        raw = await self._redis.get(self._key("route", conversation_id))
        return json.loads(raw) if raw else None
