"""The shop client against the real shop, and against servers that fail in chosen ways.

The failure servers (`harness.helpers.raw_http_server`) are real TCP peers, not mocks: they
count the requests they read, which is how the retry policy is checked: GETs are retried,
a POST that reached the server is never sent twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from harness.helpers import free_port, http_answer, raw_http_server
from orders.client import (
    Eligibility,
    Item,
    NotFound,
    Order,
    Refund,
    Refused,
    ShopClient,
    ShopError,
    ShopUnavailable,
)

RETRIES = 2
# Guards against a hang, generous on a busy machine; not a measurement.
FAILURE_GUARD_S = 60


@pytest.fixture
def client(shop_server: str) -> Iterator[ShopClient]:
    """A client of the session's shop (read-only use)."""
    with ShopClient(shop_server, timeout_s=10, retries=1) as shop:
        yield shop


@pytest.fixture
def fresh_client(fresh_shop: str) -> Iterator[ShopClient]:
    """A client of a shop of the test's own, for tests that refund or cancel."""
    with ShopClient(fresh_shop, timeout_s=10, retries=1) as shop:
        yield shop


def test_get_order_returns_typed_values(client: ShopClient) -> None:
    order = client.get_order("10003")
    assert isinstance(order, Order)
    assert (order.order_number, order.status, order.carrier) == ("10003", "delayed", "UPS")
    assert order.items == (Item(name="Espresso machine", quantity=1),)
    assert isinstance(order.expected_delivery, date)
    assert isinstance(order.original_expected_delivery, date)
    assert order.expected_delivery > order.original_expected_delivery
    assert order.delivered_at is None and order.refund is None


def test_order_with_refund_carries_a_typed_refund(client: ShopClient) -> None:
    refund = client.get_order("10006").refund
    assert isinstance(refund, Refund)
    assert (refund.reference, refund.status, refund.amount) == ("RF-3QX8ZP", "paid", 59.90)
    assert isinstance(refund.expected_by, date)


def test_list_orders_all_and_by_email(client: ShopClient) -> None:
    assert len(client.list_orders()) == 12
    by_email = client.list_orders("Alice@Example.com")
    assert [(o.order_number, o.status) for o in by_email] == [
        ("10001", "in_transit"),
        ("10002", "delivered"),
    ]
    assert client.list_orders("nobody@example.com") == []


def test_blank_email_is_refused_not_read_as_everyone(client: ShopClient) -> None:
    with pytest.raises(Refused) as refusal:
        client.list_orders("")
    assert refusal.value.code == "invalid_email"


@pytest.mark.parametrize(
    ("number", "eligible", "reason"),
    [("10002", True, "eligible"), ("10004", True, "lost_in_transit"),
     ("10006", False, "already_refunded"), ("10007", False, "outside_return_window"),
     ("10008", False, "cancelled"), ("10005", False, "not_shipped"),
     ("10001", False, "not_delivered_yet")],
)  # fmt: skip
def test_refund_eligibility(client: ShopClient, number: str, eligible: bool, reason: str) -> None:
    eligibility = client.refund_eligibility(number)
    assert isinstance(eligibility, Eligibility)
    assert (eligibility.eligible, eligibility.reason) == (eligible, reason)
    assert eligibility.message


def test_refund_lifecycle(fresh_client: ShopClient) -> None:
    """Eligible -> created -> found by reference and on the order -> a second one refused."""
    assert fresh_client.refund_eligibility("10010").eligible

    refund = fresh_client.create_refund("10010", "The grinder makes a grinding noise.")
    assert re.fullmatch(r"RF-[A-Z0-9]{6}", refund.reference)
    assert (refund.order_number, refund.status, refund.amount) == ("10010", "pending", 38.50)
    assert refund.expected_by == refund.created_at + timedelta(days=7)
    assert fresh_client.get_refund(refund.reference) == refund
    assert fresh_client.get_order("10010").refund == refund

    with pytest.raises(Refused) as refusal:
        fresh_client.create_refund("10010", "Again, please.")
    assert refusal.value.code == "already_refunded"
    assert refund.reference in refusal.value.message
    assert fresh_client.refund_eligibility("10010").reason == "already_refunded"


@pytest.mark.parametrize(
    ("number", "code"),
    [("10007", "outside_return_window"), ("10006", "already_refunded"), ("10008", "cancelled"),
     ("10003", "not_delivered_yet"), ("10011", "not_shipped")],
)  # fmt: skip
def test_ineligible_refund_is_refused_with_a_code(
    client: ShopClient, number: str, code: str
) -> None:
    with pytest.raises(Refused) as refusal:
        client.create_refund(number, "I would like my money back.")
    assert refusal.value.code == code
    assert refusal.value.message


def test_cancel_lifecycle(fresh_client: ShopClient) -> None:
    cancelled = fresh_client.cancel_order("10011")
    assert (cancelled.order_number, cancelled.status) == ("10011", "cancelled")
    assert fresh_client.get_order("10011").status == "cancelled"
    with pytest.raises(Refused) as refusal:
        fresh_client.cancel_order("10011")
    assert refusal.value.code == "already_cancelled"


def test_shipped_order_cannot_be_cancelled(client: ShopClient) -> None:
    with pytest.raises(Refused) as refusal:
        client.cancel_order("10009")
    assert refusal.value.code == "already_shipped"
    assert client.get_order("10009").status == "in_transit"


def test_unknown_order_and_refund_are_not_found(client: ShopClient) -> None:
    with pytest.raises(NotFound) as missing_order:
        client.get_order("99999")
    assert missing_order.value.code == "order_not_found"
    with pytest.raises(NotFound) as missing_refund:
        client.get_refund("RF-ZZZZZZ")
    assert missing_refund.value.code == "refund_not_found"


@pytest.mark.parametrize(
    "number", ["1; DROP TABLE orders", "../etc", "..", ".", "", "10001/refunds", "10001?x=1",
               "10001#top", "10001%2F"],
)  # fmt: skip
def test_malformed_order_number_is_refused(client: ShopClient, number: str) -> None:
    for call in (client.get_order, client.refund_eligibility, client.cancel_order):
        with pytest.raises(Refused) as refusal:
            call(number)
        assert refusal.value.code == "invalid_order_number"
    with pytest.raises(Refused) as refusal:
        client.create_refund(number, "reason")
    assert refusal.value.code == "invalid_order_number"
    assert len(client.list_orders()) == 12


@pytest.mark.parametrize("reference", ["../orders", "rf-3qx8zp", ""])
def test_malformed_refund_reference_is_refused(client: ShopClient, reference: str) -> None:
    with pytest.raises(Refused) as refusal:
        client.get_refund(reference)
    assert refusal.value.code == "invalid_refund_reference"


def test_health(client: ShopClient) -> None:
    assert client.health() is True
    with ShopClient(f"http://127.0.0.1:{free_port()}", timeout_s=1, retries=0) as down:
        assert down.health() is False


@pytest.mark.timeout(FAILURE_GUARD_S)
def test_shop_down_raises_unavailable_after_retries() -> None:
    with ShopClient(f"http://127.0.0.1:{free_port()}", timeout_s=1, retries=RETRIES) as down:
        with pytest.raises(ShopUnavailable) as read_failure:
            down.get_order("10001")
        assert read_failure.value.code == "shop_unavailable"
        with pytest.raises(ShopUnavailable):
            down.create_refund("10002", "Too small")  # refused connection: nothing was sent


@pytest.mark.timeout(FAILURE_GUARD_S)
@pytest.mark.parametrize(
    ("answer", "method", "expected_requests"),
    [
        ("drop", "GET", 1 + RETRIES),
        ("drop", "POST", 1),
        (http_answer(503, b'{"error": "busy", "message": "try later"}'), "GET", 1 + RETRIES),
        (http_answer(503, b'{"error": "busy", "message": "try later"}'), "POST", 1),
        (http_answer(500, b'{"error": "internal_error", "message": "bug"}'), "GET", 1),
    ],
    ids=["dropped-get", "dropped-post", "503-get", "503-post", "500-get"],
)
def test_retries_only_where_a_repeat_is_harmless(
    answer: bytes, method: str, expected_requests: int
) -> None:
    """GETs are retried on lost answers and 502-504; a POST that arrived is sent once; a
    shop bug (500) is reported, not hammered."""
    with raw_http_server(answer) as server:
        with ShopClient(server.base_url, timeout_s=5, retries=RETRIES) as shop:
            with pytest.raises(ShopUnavailable):
                if method == "GET":
                    shop.get_order("10001")
                else:
                    shop.create_refund("10002", "Too small")
        assert len(server.request_lines) == expected_requests
        assert {line.split()[0] for line in server.request_lines} == {method}


@pytest.mark.timeout(FAILURE_GUARD_S)
def test_silent_server_times_out_as_unavailable() -> None:
    with raw_http_server("hang") as server:
        with ShopClient(server.base_url, timeout_s=0.3, retries=1) as shop:
            with pytest.raises(ShopUnavailable):
                shop.get_order("10001")
            with pytest.raises(ShopUnavailable):
                shop.cancel_order("10005")


@pytest.mark.parametrize(
    "answer",
    [http_answer(200, b"<html>hello</html>", "text/html"), http_answer(200, b"[1, 2]"),
     http_answer(200, b'{"order_number": "10001"}'),
     http_answer(200, b'{"order_number": "10001", "ordered_at": "yesterday"}'),
     http_answer(404, b"<h1>Not Found</h1>", "text/html")],
    ids=["html", "json-list", "missing-fields", "bad-date", "html-404"],
)  # fmt: skip
def test_unexpected_answer_is_a_malformed_response_error(answer: bytes) -> None:
    with raw_http_server(answer) as server:
        with ShopClient(server.base_url, timeout_s=5, retries=0) as shop:
            with pytest.raises(ShopError) as failure:
                shop.get_order("10001")
    assert failure.value.code == "malformed_response"
    assert not isinstance(failure.value, (ShopUnavailable, NotFound, Refused))


def test_from_environment_uses_the_configured_url(
    monkeypatch: pytest.MonkeyPatch, shop_server: str
) -> None:
    monkeypatch.setenv("SHOP_URL", shop_server + "/")
    with ShopClient.from_environment() as shop:
        assert shop.get_order("10001").status == "in_transit"


@pytest.mark.timeout(FAILURE_GUARD_S)
def test_from_environment_uses_the_configured_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    with raw_http_server("drop") as server:
        monkeypatch.setenv("SHOP_URL", server.base_url)
        monkeypatch.setenv("SHOP_RETRIES", "1")
        with ShopClient.from_environment() as shop, pytest.raises(ShopUnavailable):
            shop.get_order("10001")
        assert len(server.request_lines) == 2  # SHOP_RETRIES=2 would make it 3
