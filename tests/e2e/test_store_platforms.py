"""The whole assistant with ORDER_SYSTEM=shopify and =woocommerce, each answering from a fake store.

For each platform the real stack (Redis, action server, Rasa server, desk) is started by the
launcher with the platform's settings in its environment, its credentials passed as secrets;
the store is the platform's local fake (tests/orders/fakes/), seeded with the demo orders, so
the conversations read as they do with the demo shop (tests/e2e/test_routine_flows.py): the
delivery status, a refund only after the customer confirms it, the owner's email before any
change, and an honest answer with a person offered when the store does not answer; and for
Shopify, the short order name ("#1001") its customers see.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from harness.stacks import private_env, running_stack
from launcher.settings import load_stack_settings, without_secrets
from launcher.stack import Stack
from orders.demo_shop.seed import seed_orders
from tests.e2e.customer import Customer
from tests.orders.fakes import STORE_PLATFORMS, FakeStore, platform_env, running_fake
from tests.orders.fakes.shopify import FakeShopify


@pytest.fixture(scope="module", params=STORE_PLATFORMS)
def store(request: pytest.FixtureRequest) -> Iterator[FakeStore]:
    """The fake store the action server talks to, one platform at a time."""
    with running_fake(request.param) as fake:
        yield fake


@pytest.fixture(scope="module")
def store_stack(store: FakeStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A running system whose order system is the fake store; no demo shop is started."""
    connection = platform_env(store.platform, store.url, timeout=2)  # the product's default
    var_dir = tmp_path_factory.mktemp(f"{store.platform}-stack")
    env = private_env(var_dir, f"e2e-{store.platform}-token")
    settings = load_stack_settings(env | connection)
    assert not settings.shop_embedded
    with running_stack(settings, without_secrets(connection)) as running:
        assert "shop" not in running.children
        yield running


@pytest.fixture
def shopper(store_stack: Stack, request: pytest.FixtureRequest) -> Customer:
    """A new customer talking to the store-backed system over REST."""
    return Customer.new(store_stack.settings, request.node.name)


def test_delivery_status_from_the_store(shopper: Customer, store: FakeStore) -> None:
    asked = len(store.calls)
    answer = shopper.ask("hi, where is my order #10001?")
    assert "10001" in answer and "on its way" in answer and "dhl" in answer
    assert len(store.calls) > asked


@pytest.mark.parametrize("store", ["shopify"], indirect=True)
def test_shopify_order_by_the_name_customers_see(shopper: Customer, store: FakeStore) -> None:
    """A Shopify store's first order is #1001, as its confirmation email says."""
    assert isinstance(store, FakeShopify)
    first = next(doc for doc in seed_orders(store.today) if doc["order_number"] == "10001")
    store.add_order({**first, "order_number": "1001"})
    answer = shopper.ask("hi, where is my order #1001?")
    assert "order 1001 is on its way" in answer and "dhl" in answer


def test_refund_only_after_the_customer_confirms(shopper: Customer, store: FakeStore) -> None:
    assert "order number" in shopper.ask("I want my money back")
    assert "email" in shopper.ask("10010")
    assert "what went wrong" in shopper.ask("erin@example.com")
    assert "please check" in shopper.ask("the grinder makes a loud noise")
    made = len(store.refund_requests())
    assert "no refund was created for order 10010" in shopper.ask("no")
    assert len(store.refund_requests()) == made


def test_refund_then_its_status(shopper: Customer, store: FakeStore) -> None:
    assert "order number" in shopper.ask("I want my money back")
    assert "email" in shopper.ask("10002")
    assert "what went wrong" in shopper.ask("alice@example.com")
    assert "please check" in shopper.ask("the sole came off after a week")
    answer = shopper.ask("yes")
    assert "done: refund rf-" in answer and "124.50" in answer
    reference = re.search(r"rf-[a-z0-9]{6}", answer).group(0).upper()  # type: ignore[union-attr]
    made = [key for note, key in store.refund_requests() if note.startswith("the sole came off")]
    assert len(made) == 1 and made[0].startswith("cs-refund-")
    status = shopper.ask(f"what's the status of refund {reference}?")
    assert reference.lower() in status and "reach you by" in status


def test_refund_outside_the_return_window_gives_the_reason(
    shopper: Customer, store: FakeStore
) -> None:
    made = len(store.refund_requests())
    assert "email" in shopper.ask("i'd like a refund for order 10007")
    answer = shopper.ask("dave@example.com")
    assert "outside the return window" in answer and "agent" in answer
    assert len(store.refund_requests()) == made


def test_wrong_email_changes_nothing(shopper: Customer, store: FakeStore) -> None:
    made = len(store.refund_requests())
    assert "email" in shopper.ask("i'd like a refund for order 10012")
    answer = shopper.ask("mallory@example.com")
    assert "doesn't match order 10012" in answer
    assert "what went wrong" not in answer
    assert shopper.slot("proven_order") is None
    assert "what went wrong" not in shopper.ask("the case cracked, refund it anyway")
    assert len(store.refund_requests()) == made


def test_cancel_an_order_that_has_not_shipped(shopper: Customer) -> None:
    assert "email" in shopper.ask("please cancel order 10005")
    assert "cancel order 10005" in shopper.ask("carol@example.com")
    assert "is cancelled" in shopper.ask("yes")


@pytest.mark.parametrize(
    ("knob", "value"),
    [("fail_status", (503, 1_000)), ("stall_s", 6.0)],
    ids=["answers-503", "times-out"],
)
def test_store_down_is_told_and_a_person_offered(
    shopper: Customer, store: FakeStore, knob: str, value: object
) -> None:
    """A store that fails or stalls past SHOP_TIMEOUT (2 s, one retry of a read) gets the
    same honest answer as the demo shop down, never a guess."""
    setattr(store, knob, value)
    try:
        answer = shopper.ask("where is order 10001")
    finally:
        setattr(store, knob, None if knob == "fail_status" else 0.0)
    assert "can't reach our order system" in answer and "person" in answer
