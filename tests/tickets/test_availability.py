"""Agents' Available / Away state on a real Redis: what counts as someone there to answer."""

from __future__ import annotations

from harness.redis_server import RedisServer
from tickets.availability import AVAILABLE, AWAY, IDLE, Availability
from tickets.store import connect

IDLE_S = 900.0
T0 = 1_800_000_000.0


def test_available_until_away_signed_out_or_idle(redis_server: RedisServer) -> None:
    states = Availability(connect(redis_server.url), IDLE_S)
    assert states.available(T0) == [] and states.state("alex", T0) == AWAY
    states.set_available("alex", T0)
    states.set_available("sam", T0)
    assert states.available(T0 + 1) == ["alex", "sam"]
    states.set_away("sam")
    assert states.available(T0 + 1) == ["alex"] and states.state("sam", T0 + 1) == AWAY
    # Activity keeps Alex available past the first timeout ...
    assert states.touch("alex", T0 + IDLE_S - 1)
    assert states.state("alex", T0 + IDLE_S + 10) == AVAILABLE
    # ... nothing for the whole timeout makes them idle, and later activity does not revive
    # them: an agent who walked away says when they are back.
    assert states.state("alex", T0 + 2 * IDLE_S) == IDLE
    assert states.available(T0 + 2 * IDLE_S) == []
    assert not states.touch("alex", T0 + 2 * IDLE_S)
    assert not states.touch("sam", T0 + 2)
    assert states.available(T0 + 2 * IDLE_S + 1) == []
