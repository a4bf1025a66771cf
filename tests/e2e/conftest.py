"""The whole system, started once for the end-to-end tests on free ports.

Redis (embedded), the demo shop, the action server and the Rasa server run as real processes
from the same launcher that `make run` uses, so these tests exercise what a user runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from launcher.settings import StackSettings, load_stack_settings
from launcher.stack import Stack
from tests.e2e.customer import Customer
from tests.helpers import forget_contact_history, free_port


def stack_settings(var_dir: Path) -> StackSettings:
    """Settings for a private stack: every port free, state in `var_dir`, a known token."""
    env = {
        "RASA_PORT": str(free_port()),
        "ACTION_PORT": str(free_port()),
        "SHOP_PORT": str(free_port()),
        "REDIS_PORT": str(free_port()),
        "DESK_PORT": str(free_port()),
        "WEB_PORT": str(free_port()),
        "RASA_API_TOKEN": "e2e-test-token",
        "VAR_DIR": str(var_dir),
    }
    return load_stack_settings(env)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A running system; a failed start shows the log tail of the part that failed."""
    running = Stack(stack_settings(tmp_path_factory.mktemp("stack")))
    running.start(report=print)
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def customer(stack: Stack, request: pytest.FixtureRequest) -> Customer:
    """A new customer (own sender id) talking to the running system over REST."""
    return Customer.new(stack.settings, request.node.name)


@pytest.fixture(autouse=True)
def forget_contacts(request: pytest.FixtureRequest) -> None:
    """Each test starts with no contact history, so earlier tests' questions about the same
    order do not count as this customer coming back (tests then pass in any order)."""
    if "stack" not in request.fixturenames:
        return
    running: Stack = request.getfixturevalue("stack")
    forget_contact_history(running.settings.redis.url)
