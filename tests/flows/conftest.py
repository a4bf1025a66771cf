"""The whole system for the routine-flow tests, with signed widget tokens switched on.

Its own stack (not tests/e2e's) because the Rasa server must start with WIDGET_JWT_KEY set,
and because these tests reseed the shop between conversations that change it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from harness.helpers import forget_contact_history
from harness.stacks import private_settings, running_stack
from launcher.stack import Stack

WIDGET_KEY = "flows-test-widget-key-0123456789abcdef"


@pytest.fixture(scope="session")
def flows_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A running system on free ports whose widget channel accepts tokens signed with
    WIDGET_KEY; a failed start shows the log tail of the part that failed."""
    settings = private_settings(tmp_path_factory.mktemp("flows"), "flows-test-token")
    with running_stack(settings, {"WIDGET_JWT_KEY": WIDGET_KEY}) as running:
        yield running


def _orders(stack: Stack) -> list[dict]:
    response = requests.get(f"{stack.settings.shop_url}/orders", timeout=10)
    response.raise_for_status()
    orders: list[dict] = response.json()["orders"]
    return orders


@pytest.fixture(scope="session")
def seeded_orders(flows_stack: Stack) -> list[dict]:
    """The shop's orders as seeded, before any test changed them."""
    return _orders(flows_stack)


@pytest.fixture
def system(flows_stack: Stack, seeded_orders: list[dict]) -> Iterator[Stack]:
    """The running system for one test: no contact history from earlier tests, and a shop
    restarted (so reseeded) afterwards if the test changed any order, so every test starts
    from the documented orders whatever ran before it."""
    forget_contact_history(flows_stack.settings.redis.url)
    try:
        yield flows_stack
    finally:
        if _orders(flows_stack) != seeded_orders:
            flows_stack.restart("shop")
