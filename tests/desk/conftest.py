"""Fixtures of the desk tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.desk.desk_helpers import DeskUnderTest, running_desk
from tests.redis_server import RedisServer


@pytest.fixture
def desk(redis_server: RedisServer, shop_server: str, tmp_path: Path) -> Iterator[DeskUnderTest]:
    """The desk app on this test's Redis and the shared shop."""
    with running_desk(redis_server.url, shop_server, tmp_path) as running:
        yield running
