"""The whole assistant with ORDER_SYSTEM=shopify, answering from a fake Shopify store.

The real stack (Redis, action server, Rasa server, desk) is started by the launcher with the
Shopify settings in its environment, the access token passed as a secret; the store is the
local fake of the GraphQL Admin API (tests/orders/fakes/shopify.py), seeded with the demo
orders, so the conversations read as they do with the demo shop.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from harness.stacks import private_env, running_stack
from launcher.settings import load_stack_settings
from launcher.stack import Stack
from tests.e2e.customer import Customer
from tests.orders.fakes import shopify as fake_shopify
from tests.orders.fakes.shopify import FakeShopify


@pytest.fixture(scope="module")
def store() -> Iterator[FakeShopify]:
    """The fake Shopify store the action server talks to."""
    fake = FakeShopify()
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture(scope="module")
def shopify_stack(store: FakeShopify, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A running system whose order system is the fake store; no demo shop is started."""
    shopify = {
        "ORDER_SYSTEM": "shopify",
        "SHOPIFY_STORE_URL": store.url,
        "SHOPIFY_API_VERSION": fake_shopify.API_VERSION,
    }
    env = private_env(tmp_path_factory.mktemp("shopify-stack"), "e2e-shopify-token")
    settings = load_stack_settings(env | shopify | {"SHOPIFY_ACCESS_TOKEN": fake_shopify.TOKEN})
    assert not settings.shop_embedded
    with running_stack(settings, shopify) as running:
        assert "shop" not in running.children
        yield running


@pytest.fixture
def shopper(shopify_stack: Stack, request: pytest.FixtureRequest) -> Customer:
    """A new customer talking to the Shopify-backed system over REST."""
    return Customer.new(shopify_stack.settings, request.node.name)


def test_delivery_status_from_shopify(shopper: Customer, store: FakeShopify) -> None:
    answer = shopper.ask("hi, where is my order #10001?")
    assert "10001" in answer and "on its way" in answer and "dhl" in answer
    assert store.matching(lambda c: c.method == "FindOrders")


def test_refund_through_shopify_then_its_status(shopper: Customer, store: FakeShopify) -> None:
    assert "order number" in shopper.ask("I want my money back")
    assert "email" in shopper.ask("10002")
    assert "what went wrong" in shopper.ask("alice@example.com")
    assert "please check" in shopper.ask("the sole came off after a week")
    answer = shopper.ask("yes")
    assert "done: refund rf-" in answer and "124.50" in answer
    reference = re.search(r"rf-[a-z0-9]{6}", answer).group(0).upper()  # type: ignore[union-attr]
    (created,) = store.matching(lambda c: c.method == "RefundCreate")
    assert created.params["input"]["note"] == "the sole came off after a week"
    assert created.params["key"].startswith("cs-refund-")
    status = shopper.ask(f"what's the status of refund {reference}?")
    assert reference.lower() in status and "reach you by" in status
