"""Fixtures for calling the custom actions directly, against the real demo shop and Redis."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa.shared.core.domain import Domain
from rasa_sdk import Tracker

from actions.history import redis_client
from actions.metrics import get_recorder
from actions.settings import load_settings
from actions.shop_access import get_shop
from harness.helpers import REPO_ROOT, running_shop
from harness.redis_server import RedisServer


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    """The real domain, as the action server receives it from Rasa."""
    return Domain.load(str(REPO_ROOT / "domain")).as_dict()


def use_shop(monkeypatch: pytest.MonkeyPatch, base_url: str) -> None:
    """Points the action server's shop client at `base_url` (settings are cached per process)."""
    monkeypatch.setenv("SHOP_URL", base_url)
    monkeypatch.setenv("SHOP_RETRIES", "0")
    load_settings.cache_clear()
    get_shop.cache_clear()


@pytest.fixture
def shared_shop(shop_server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The session's shop, for tests that only read."""
    use_shop(monkeypatch, shop_server)
    yield shop_server
    load_settings.cache_clear()
    get_shop.cache_clear()


@pytest.fixture
def own_shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A freshly seeded shop of the test's own, for tests that refund or cancel."""
    with running_shop(tmp_path) as base_url:
        use_shop(monkeypatch, base_url)
        yield base_url
    load_settings.cache_clear()
    get_shop.cache_clear()


def make_tracker(
    slots: dict[str, Any] | None = None,
    text: str = "",
    intent: str = "inform",
    events: list[dict[str, Any]] | None = None,
    sender_id: str = "actions-test",
    entities: list[dict[str, Any]] | None = None,
) -> Tracker:
    """A tracker as the action server receives it, with the given slots and latest message."""
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "entities": list(entities or []),
    }
    return Tracker(
        sender_id=sender_id,
        slots=dict(slots or {}),
        latest_message=latest,
        events=list(events or []),
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


@pytest.fixture
async def action_redis(
    redis_server: RedisServer, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[str]:
    """Points the action server's Redis (actions/history.py) at the test's own Redis.

    The settings are cached per process and the client per event loop, so the cache is cleared
    on both sides and the loop's client closed afterwards (each test has its own loop).
    """
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    load_settings.cache_clear()
    get_recorder.cache_clear()  # the analytics recorder keeps its connection per process too
    try:
        yield redis_server.url
    finally:
        await redis_client().close()
        load_settings.cache_clear()
        get_recorder.cache_clear()
