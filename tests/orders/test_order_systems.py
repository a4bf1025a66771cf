"""One behaviour suite for every order system: the demo shop, Shopify and WooCommerce.

Each adapter is made the way the action server makes it (`orders.systems.connect` from the
environment) and runs against a real HTTP peer: the demo shop process, or a local fake of the
platform written from its published API documentation (pages cited in tests/orders/fakes/).
The assertions are the same for every platform; what a platform cannot express (WooCommerce
knows no delayed or lost parcels) is said where it is skipped. Failure paths (stalls, 5xx,
throttling, userErrors, bad credentials) follow, per platform where they differ; the demo
client's own failure paths are in test_client.py.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from contract.delay_reasons import load_delay_reasons
from harness.helpers import free_port, running_shop
from orders.client import NotFound, OrderSystem, Refused, ShopUnavailable
from orders.demo_shop.seed import seed_orders
from orders.shopify import ShopifyOrders
from orders.systems import connect
from orders.woocommerce import WooOrders
from settings.env import Env, SettingsError
from tests.orders.fakes import STORE_PLATFORMS, FakeStore, platform_env, running_fake
from tests.orders.fakes import shopify as fake_shopify
from tests.orders.fakes.shopify import FakeShopify
from tests.orders.fakes.woocommerce import FakeWooCommerce

PLATFORMS = ("demo", "shopify", "woocommerce")
GUARD_S = 60


@dataclass
class Platform:
    """A running order system and the fake behind it (None for the demo shop)."""

    name: str
    url: str
    fake: FakeStore | None

    def client(self, timeout: float = 10, retries: int = 1) -> OrderSystem:
        return connect(Env(platform_env(self.name, self.url, timeout, retries)))


@pytest.fixture(params=PLATFORMS)
def platform(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Platform]:
    """A freshly seeded order system of each kind."""
    if request.param == "demo":
        with running_shop(tmp_path) as url:
            yield Platform("demo", url, None)
        return
    with running_fake(request.param) as fake:
        yield Platform(request.param, fake.url, fake)


@pytest.fixture
def orders(platform: Platform) -> Iterator[OrderSystem]:
    """The platform's adapter, as the action server makes it."""
    with platform.client() as client:
        yield client


def test_factory_picks_the_adapter(platform: Platform, orders: OrderSystem) -> None:
    kinds = {"demo": "ShopClient", "shopify": "ShopifyOrders", "woocommerce": "WooOrders"}
    assert type(orders).__name__ == kinds[platform.name]
    assert orders.health() is True


# --- delivery status ---------------------------------------------------------------------


def test_order_on_its_way(orders: OrderSystem) -> None:
    order = orders.get_order("10001")
    assert (order.order_number, order.status) == ("10001", "in_transit")
    assert (order.carrier, order.tracking_number) == ("DHL", "JJD0014600012345678")
    assert [(i.name, i.quantity) for i in order.items] == [("Wireless headphones", 1)]
    assert (order.total, order.currency) == (89.99, "EUR")
    assert order.customer_email == "alice@example.com"
    assert order.shipped_at == date.today() - timedelta(days=2)


def test_delivered_order(orders: OrderSystem) -> None:
    order = orders.get_order("10002")
    assert order.status == "delivered"
    assert order.delivered_at == date.today() - timedelta(days=5)
    assert [(i.name, i.quantity) for i in order.items] == [
        ("Running shoes", 1),
        ("Sports socks", 2),
    ]


def test_unshipped_and_cancelled_orders(orders: OrderSystem) -> None:
    assert orders.get_order("10005").status == "processing"
    assert orders.get_order("10005").tracking_number is None
    assert orders.get_order("10008").status == "cancelled"


def test_delayed_and_lost_parcels(platform: Platform, orders: OrderSystem) -> None:
    if platform.name == "woocommerce":
        # WooCommerce records no delays or lost parcels: such orders read as in transit.
        assert orders.get_order("10003").status == "in_transit"
        assert orders.get_order("10004").status == "in_transit"
        return
    delayed = orders.get_order("10003")
    assert delayed.status == "delayed"
    assert delayed.expected_delivery == date.today() + timedelta(days=3)
    assert delayed.delay_reason == "weather at the carrier's hub"
    # Shopify's DELAYED event carries free text only; the demo shop sends a code beside it. A
    # Korean reply finds the reason either way (its text equals a known reason's English).
    assert delayed.delay_reason_code == ("weather" if platform.name == "demo" else None)
    korean = load_delay_reasons().in_korean(delayed.delay_reason_code, delayed.delay_reason)
    assert korean == "택배사 물류 거점의 기상 악화"
    assert orders.get_order("10004").status == "lost"


def test_unknown_and_malformed_orders(orders: OrderSystem) -> None:
    with pytest.raises(NotFound) as missing:
        orders.get_order("99999")
    assert missing.value.code == "order_not_found"
    for bad in ("abc", "12", "../etc"):
        with pytest.raises(Refused) as refused:
            orders.get_order(bad)
        assert refused.value.code == "invalid_order_number"


def test_one_customers_orders(orders: OrderSystem) -> None:
    assert [o.order_number for o in orders.list_orders("Alice@Example.com")] == ["10001", "10002"]
    with pytest.raises(Refused):
        orders.list_orders("  ")


# --- ownership -----------------------------------------------------------------------------


def test_owner_check_is_one_bit(orders: OrderSystem) -> None:
    assert orders.verify_owner("10001", "ALICE@example.com ") is True
    assert orders.verify_owner("10001", "bob@example.com") is False
    assert orders.verify_owner("99999", "alice@example.com") is False


# --- refunds -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "eligible", "reason"),
    [
        ("10002", True, "eligible"),
        ("10001", False, "not_delivered_yet"),
        ("10005", False, "not_shipped"),
        ("10006", False, "already_refunded"),
        ("10007", False, "outside_return_window"),
        ("10008", False, "cancelled"),
    ],
)
def test_refund_eligibility(orders: OrderSystem, number: str, eligible: bool, reason: str) -> None:
    answer = orders.refund_eligibility(number)
    assert (answer.eligible, answer.reason) == (eligible, reason)


def test_refund_lifecycle(orders: OrderSystem) -> None:
    refund = orders.create_refund("10002", "Too small", "cs-refund-test-key-0001")
    assert refund.reference.startswith("RF-") and len(refund.reference) == 9
    assert (refund.order_number, refund.amount, refund.currency) == ("10002", 124.50, "EUR")
    assert refund.expected_by == refund.created_at + timedelta(days=7)
    assert refund.status == "pending"  # on its way, not yet on the customer's statement
    again = orders.create_refund("10002", "Too small", "cs-refund-test-key-0001")
    assert again.reference == refund.reference  # a retried refund never refunds twice
    with pytest.raises(Refused) as second:
        orders.create_refund("10002", "Too small", "cs-refund-test-key-0002")
    assert second.value.code == "already_refunded"
    order = orders.get_order("10002")
    assert order.refund is not None and order.refund.reference == refund.reference
    found = orders.get_refund(refund.reference)
    assert (found.order_number, found.amount, found.status) == ("10002", 124.50, refund.status)


def test_ineligible_refund_is_refused(orders: OrderSystem) -> None:
    with pytest.raises(Refused) as refused:
        orders.create_refund("10007", "Broken", "cs-refund-test-key-0003")
    assert refused.value.code == "outside_return_window"


def test_existing_refund_status(orders: OrderSystem) -> None:
    refund = orders.get_order("10006").refund
    assert refund is not None
    assert (refund.amount, refund.currency, refund.status) == (59.90, "EUR", "paid")
    assert orders.get_refund(refund.reference).order_number == "10006"
    with pytest.raises(NotFound):
        orders.get_refund("RF-ZZZZZZ")
    with pytest.raises(Refused):
        orders.get_refund("nonsense")


# --- cancellation --------------------------------------------------------------------------


def test_cancel_lifecycle(orders: OrderSystem) -> None:
    cancelled = orders.cancel_order("10005", "cs-cancel-test-key-0001")
    assert cancelled.status == "cancelled"
    assert orders.cancel_order("10005", "cs-cancel-test-key-0001").status == "cancelled"
    with pytest.raises(Refused) as again:
        orders.cancel_order("10005", "cs-cancel-test-key-0002")
    assert again.value.code == "already_cancelled"
    assert orders.get_order("10005").status == "cancelled"


def test_shipped_order_cannot_be_cancelled(orders: OrderSystem) -> None:
    with pytest.raises(Refused) as refused:
        orders.cancel_order("10001", "cs-cancel-test-key-0003")
    assert refused.value.code == "already_shipped"


# --- errors and timeouts -------------------------------------------------------------------


@pytest.mark.timeout(GUARD_S)
@pytest.mark.parametrize("name", PLATFORMS)
def test_order_system_down_is_unavailable(name: str) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with connect(Env(platform_env(name, url, timeout=1, retries=1))) as down:
        assert down.health() is False
        with pytest.raises(ShopUnavailable):
            down.get_order("10001")
        with pytest.raises(ShopUnavailable):
            down.create_refund("10002", "Too small", "cs-refund-test-key-0009")


@pytest.fixture(params=STORE_PLATFORMS)
def fake(request: pytest.FixtureRequest) -> Iterator[Platform]:
    """A platform fake alone (the failure knobs are the fakes')."""
    with running_fake(request.param) as fake:
        yield Platform(request.param, fake.url, fake)


@pytest.mark.timeout(GUARD_S)
def test_stalled_platform_times_out(fake: Platform) -> None:
    assert fake.fake is not None
    fake.fake.stall_s = 1.5
    with fake.client(timeout=0.3, retries=1) as slow:
        started = time.monotonic()
        with pytest.raises(ShopUnavailable):
            slow.get_order("10001")
        assert time.monotonic() - started < 1.5  # two tries of 0.3 s, not the stall


@pytest.mark.timeout(GUARD_S)
def test_reads_are_retried_and_writes_never(fake: Platform) -> None:
    assert fake.fake is not None
    fake.fake.fail_status = (503, 1)
    with fake.client(retries=1) as client:
        assert client.get_order("10001").status == "in_transit"  # the 503 was read again
        write = "RefundCreate" if fake.name == "shopify" else "POST"
        fake.fake.fail_only = write
        fake.fake.fail_status = (503, 1)
        with pytest.raises(ShopUnavailable):
            client.create_refund("10010", "Too loud", "cs-refund-test-key-0010")
    writes = fake.fake.matching(lambda c: c.method.startswith(write))
    assert len(writes) == 1


def test_wrong_credentials_are_unavailable(fake: Platform) -> None:
    env = platform_env(fake.name, fake.url)
    env["SHOPIFY_ACCESS_TOKEN" if fake.name == "shopify" else "WOOCOMMERCE_CONSUMER_SECRET"] = "x"
    with connect(Env(env)) as client:
        assert client.health() is False
        with pytest.raises(ShopUnavailable):
            client.get_order("10001")


def test_missing_secret_stops_start_up(fake: Platform) -> None:
    env = platform_env(fake.name, fake.url)
    env.pop("SHOPIFY_ACCESS_TOKEN" if fake.name == "shopify" else "WOOCOMMERCE_CONSUMER_SECRET")
    with pytest.raises(SettingsError):
        connect(Env(env))


def test_plain_http_store_off_this_machine_is_refused(fake: Platform) -> None:
    env = platform_env(fake.name, "http://shop.example")
    with pytest.raises(SettingsError, match="https"):
        connect(Env(env))


def test_retried_refund_from_another_process_is_not_a_second_refund(fake: Platform) -> None:
    """A second adapter (another action server) with the same key: no second refund."""
    with fake.client() as first, fake.client() as second:
        refund = first.create_refund("10012", "Wrong size", "cs-refund-test-key-0012")
        if fake.name == "woocommerce":  # the key stored on the refund finds it
            assert second.create_refund("10012", "Wrong size", "cs-refund-test-key-0012") == refund
        else:  # Shopify's eligibility (one refund per order) answers; @idempotent covers races
            with pytest.raises(Refused) as refused:
                second.create_refund("10012", "Wrong size", "cs-refund-test-key-0012")
            assert refused.value.code == "already_refunded"
        order = second.get_order("10012")
        assert order.refund is not None and order.refund.reference == refund.reference


# --- Shopify specifics ---------------------------------------------------------------------


@pytest.fixture
def shopify() -> Iterator[tuple[FakeShopify, ShopifyOrders]]:
    """A fake Shopify and its adapter."""
    fake = FakeShopify()
    fake.start()
    try:
        client = connect(Env(platform_env("shopify", fake.url)))
        assert isinstance(client, ShopifyOrders)
        with client:
            yield fake, client
    finally:
        fake.stop()


@pytest.mark.timeout(GUARD_S)
def test_shopify_throttled_read_waits_and_retries(
    shopify: tuple[FakeShopify, ShopifyOrders],
) -> None:
    fake, client = shopify
    fake.throttle, fake.throttle_available = 1, 10.0  # 10 points short: 0.1 s at 100/s
    assert client.get_order("10001").status == "in_transit"
    assert len(fake.matching(lambda c: c.method == "FindOrders")) == 2


@pytest.mark.timeout(GUARD_S)
def test_shopify_throttled_write_runs_once(shopify: tuple[FakeShopify, ShopifyOrders]) -> None:
    """A THROTTLED mutation did not run, so it is sent again; one refund results."""
    fake, client = shopify
    fake.throttle, fake.throttle_only = 1, "RefundCreate"
    refund = client.create_refund("10010", "Too loud", "cs-refund-test-key-0020")
    assert refund.amount == 38.50
    assert len(fake.matching(lambda c: c.method == "RefundCreate")) == 2
    assert len(fake.orders["gid://shopify/Order/10010"]["refunds"]) == 1


@pytest.mark.timeout(GUARD_S)
def test_shopify_long_throttle_is_unavailable(shopify: tuple[FakeShopify, ShopifyOrders]) -> None:
    fake, client = shopify
    fake.throttle, fake.throttle_available = 5, 1000.0  # 10 s to refill: more than we wait
    started = time.monotonic()
    with pytest.raises(ShopUnavailable) as failure:
        client.get_order("10001")
    assert failure.value.code == "shop_throttled"
    assert time.monotonic() - started < 3


def test_shopify_budget_is_respected_before_sending(
    shopify: tuple[FakeShopify, ShopifyOrders],
) -> None:
    """A low budget in the last answer makes the next call wait for the restore rate."""
    fake, _ = shopify
    slept: list[float] = []
    client = ShopifyOrders(
        ShopifyOrders.from_environment(Env(platform_env("shopify", fake.url)))._settings,
        sleep=slept.append,
    )
    original = fake._cost
    fake._cost = lambda requested=52.0, available=1948.0: original(requested, 2.0)  # type: ignore[method-assign]
    client.get_order("10001")
    client.get_order("10002")
    assert slept and 0 < slept[0] <= 3.0


def test_shopify_user_errors_are_refusals(shopify: tuple[FakeShopify, ShopifyOrders]) -> None:
    fake, client = shopify
    fake.cancel_error = "The order has pending payment authorizations"
    with pytest.raises(Refused) as cancel:
        client.cancel_order("10011", "cs-cancel-test-key-0011")
    assert "pending payment" in cancel.value.message
    fake.orders["gid://shopify/Order/10012"]["_total"] = 0.0  # nothing left to refund
    with pytest.raises(Refused) as refund:
        client.create_refund("10012", "Broken", "cs-refund-test-key-0030")
    assert refund.value.code == "refund_refused"


def test_shopify_refund_uses_suggested_amounts(shopify: tuple[FakeShopify, ShopifyOrders]) -> None:
    fake, client = shopify
    client.create_refund("10012", "Wrong model", "cs-refund-test-key-0040")
    (suggested,) = fake.matching(lambda c: c.method == "SuggestedRefund")
    (created,) = fake.matching(lambda c: c.method == "RefundCreate")
    lines = suggested.params["lines"]
    assert [line["quantity"] for line in lines] == [1, 2]
    refund_input = created.params["input"]
    assert refund_input["transactions"][0]["amount"] == "32.97"
    assert refund_input["transactions"][0]["parentId"] == "gid://shopify/OrderTransaction/100121"
    assert {line["restockType"] for line in refund_input["refundLineItems"]} == {"NO_RESTOCK"}
    assert created.params["key"] == "cs-refund-test-key-0040"
    assert created.headers["X-Shopify-Access-Token"] == fake_shopify.TOKEN


def test_shopify_tracking_url(shopify: tuple[FakeShopify, ShopifyOrders]) -> None:
    _, client = shopify
    assert client.get_order("10001").tracking_url == "https://track.example/DHL/JJD0014600012345678"


def test_shopify_order_by_the_short_name_customers_see(
    shopify: tuple[FakeShopify, ShopifyOrders],
) -> None:
    """A store's first orders are #1001, #1002...: the customer's number, not a long id."""
    fake, client = shopify
    first = next(doc for doc in seed_orders(fake.today) if doc["order_number"] == "10001")
    fake.add_order({**first, "order_number": "1001"})
    order = client.get_order("1001")
    assert (order.order_number, order.status, order.carrier) == ("1001", "in_transit", "DHL")
    assert client.verify_owner("1001", "alice@example.com")
    (search,) = fake.matching(lambda c: c.method == "FindOrders" and "1001" in str(c.params))[:1]
    assert 'name:"#1001"' in search.params["query"]
    with pytest.raises(Refused):
        client.get_order("100")


# --- WooCommerce specifics -----------------------------------------------------------------


def test_woocommerce_cancel_refunds_what_was_paid() -> None:
    fake = FakeWooCommerce().start()
    assert isinstance(fake, FakeWooCommerce)
    try:
        client = connect(Env(platform_env("woocommerce", fake.url)))
        assert isinstance(client, WooOrders)
        cancelled = client.cancel_order("10011", "cs-cancel-test-key-0050")
        assert cancelled.status == "cancelled"
        refunds = fake.refunds[10011]
        assert [r["amount"] for r in refunds] == ["119.00"]
        puts = fake.matching(lambda c: c.method.startswith("PUT"))
        assert puts[0].params["status"] == "cancelled"
    finally:
        fake.stop()


def test_woocommerce_tracking_meta_key_is_configurable() -> None:
    fake = FakeWooCommerce().start()
    assert isinstance(fake, FakeWooCommerce)
    try:
        for order in fake.orders.values():
            for meta in order["meta_data"]:
                meta["key"] = "_my_tracking"
        env = platform_env("woocommerce", fake.url)
        assert connect(Env(env)).get_order("10001").status == "processing"
        env["WOOCOMMERCE_TRACKING_META_KEY"] = "_my_tracking"
        order = connect(Env(env)).get_order("10001")
        assert (order.status, order.tracking_number) == ("in_transit", "JJD0014600012345678")
    finally:
        fake.stop()
