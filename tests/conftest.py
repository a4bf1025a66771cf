"""Fixtures shared by the whole test suite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import running_shop
from tests.redis_server import RedisServer
from tests.ticket_helpers import HEAD_START_S
from tickets.store import TicketStore, connect


@pytest.fixture(scope="session")
def shop_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the real shop (`python -m shop`), started once for the session.

    Shared by every test, so treat it as read-only: a test that refunds or cancels an order
    uses `fresh_shop` (or `tests.helpers.running_shop(tmp_path)`) instead, so no test depends
    on what another one did or on the order they run in.
    """
    with running_shop(tmp_path_factory.mktemp("shop")) as base_url:
        yield base_url


@pytest.fixture
def fresh_shop(tmp_path: Path) -> Iterator[str]:
    """Base URL of a real shop of this test's own, freshly seeded: for tests that change orders."""
    with running_shop(tmp_path) as base_url:
        yield base_url


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A fresh Redis with appendonly, stopped after the test."""
    server = RedisServer(tmp_path / "redis")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def store(redis_server: RedisServer) -> TicketStore:
    """A ticket store on the test's Redis."""
    return TicketStore(connect(redis_server.url), frustration_head_start_s=HEAD_START_S)
