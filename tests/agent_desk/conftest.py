"""Fixtures of the desk tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from werkzeug.serving import make_server

from harness.redis_server import RedisServer
from tests.agent_desk.desk_helpers import DeskUnderTest, running_desk
from tests.pages import chromium


@pytest.fixture
def desk(redis_server: RedisServer, shop_server: str, tmp_path: Path) -> Iterator[DeskUnderTest]:
    """The desk app on this test's Redis and the shared shop."""
    with running_desk(redis_server.url, shop_server, tmp_path) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's chromium, once per test module."""
    with chromium() as running:
        yield running


@pytest.fixture
def served(
    redis_server: RedisServer, shop_server: str, tmp_path: Path
) -> Iterator[tuple[DeskUnderTest, str]]:
    """The desk app behind a real HTTP server (threaded, as waitress serves it)."""
    with running_desk(redis_server.url, shop_server, tmp_path) as desk:
        server = make_server("127.0.0.1", 0, desk.app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield desk, f"http://127.0.0.1:{server.server_port}"
        finally:
            server.shutdown()
            thread.join()
