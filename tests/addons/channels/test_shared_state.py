"""A client's message id handled once, across servers (addons/channels/shared_state.py)."""

from __future__ import annotations

import redis

from addons.channels.shared_state import HANDLING_TTL_S, SharedState
from contract import keys
from harness.redis_server import RedisServer


async def test_a_repeat_waits_while_handled_then_gets_the_sealed_first_answer(
    redis_server: RedisServer,
) -> None:
    state, other_server = (SharedState(redis_server.url, "rest") for _ in range(2))
    assert await state.first_delivery("ann:m1", HANDLING_TTL_S)
    assert not await other_server.first_delivery("ann:m1", HANDLING_TTL_S)
    assert await other_server.earlier_answer("ann:m1") is None  # still being handled

    answer = {"status": 200, "replies": [{"text": "Order 10001 ships to Ann Lee"}], "headers": {}}
    await state.keep_answer("ann:m1", answer)
    assert await other_server.earlier_answer("ann:m1") == answer
    stored = redis.Redis(port=redis_server.port).get(keys.channel_state("rest", "seen", "ann:m1"))
    assert stored and b"Ann Lee" not in stored


async def test_a_failed_delivery_is_handled_again(redis_server: RedisServer) -> None:
    state = SharedState(redis_server.url, "rest")
    assert await state.first_delivery("bob:m1", HANDLING_TTL_S)
    await state.forget_delivery("bob:m1")
    assert await state.first_delivery("bob:m1", HANDLING_TTL_S)
