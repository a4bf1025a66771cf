"""Reading orders from the real shop: the documented seed, the email filter, bad order numbers."""

from __future__ import annotations

import http.client
from datetime import date
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
import requests

from tests.orders.demo_shop.contract import assert_documented, assert_error

# The seed as orders/demo_shop/README.md documents it: order number -> (customer email, status).
SEEDED = {
    "10001": ("alice@example.com", "in_transit"),
    "10002": ("alice@example.com", "delivered"),
    "10003": ("bob@example.com", "delayed"),
    "10004": ("bob@example.com", "lost"),
    "10005": ("carol@example.com", "processing"),
    "10006": ("carol@example.com", "delivered"),
    "10007": ("dave@example.com", "delivered"),
    "10008": ("dave@example.com", "cancelled"),
    "10009": ("erin@example.com", "in_transit"),
    "10010": ("erin@example.com", "delivered"),
    "10011": ("frank@example.com", "processing"),
    "10012": ("frank@example.com", "delivered"),
}

# Each one must be answered 400 invalid_order_number, sent percent-encoded as the client does.
MALFORMED_NUMBERS = [
    "1; DROP TABLE orders",
    "10001' OR '1'='1",
    "../etc",
    "../../etc/passwd",
    "..",
    "abc",
    "1234",  # too short
    "1234567890123",  # too long
    "10001.5",
    "\u0661\u0660\u0660\u0660\u0661",  # Arabic-Indic digits: digits, but not the shop's
    "10001\x00",
    "10001/",
]


def _encoded(number: str) -> str:
    """`number` as one path segment; dots too, which requests would otherwise resolve away."""
    return quote(number, safe="").replace(".", "%2E")


def _get(base_url: str, path: str) -> requests.Response:
    return requests.get(base_url + path, timeout=10)


def _order(base_url: str, number: str) -> dict[str, Any]:
    response = _get(base_url, f"/orders/{number}")
    assert response.status_code == 200
    order: dict[str, Any] = assert_documented(response, "/orders/{order_number}", "get")
    return order


def test_health_says_ok(shop_server: str) -> None:
    response = _get(shop_server, "/health")
    assert assert_documented(response, "/health", "get") == {"status": "ok"}


def test_list_orders_returns_the_documented_seed(shop_server: str) -> None:
    response = _get(shop_server, "/orders")
    orders = assert_documented(response, "/orders", "get")["orders"]
    assert {o["order_number"]: (o["customer_email"], o["status"]) for o in orders} == SEEDED
    assert [o["order_number"] for o in orders] == sorted(SEEDED)


@pytest.mark.parametrize("email", ["bob@example.com", "BOB@Example.COM", " bob@example.com "])
def test_email_filter_returns_only_that_customers_orders(shop_server: str, email: str) -> None:
    response = requests.get(f"{shop_server}/orders", params={"email": email}, timeout=10)
    orders = assert_documented(response, "/orders", "get")["orders"]
    assert [o["order_number"] for o in orders] == ["10003", "10004"]


@pytest.mark.parametrize("email", ["nobody@example.com", "' OR 1=1 --", "%"])
def test_email_filter_without_match_returns_no_orders(shop_server: str, email: str) -> None:
    response = requests.get(f"{shop_server}/orders", params={"email": email}, timeout=10)
    assert assert_documented(response, "/orders", "get") == {"orders": []}


@pytest.mark.parametrize("email", ["", "   "])
def test_blank_email_filter_is_refused_not_read_as_everyone(shop_server: str, email: str) -> None:
    response = requests.get(f"{shop_server}/orders", params={"email": email}, timeout=10)
    assert_documented(response, "/orders", "get")
    assert_error(response, 400, "invalid_email")


def test_in_transit_order_has_carrier_tracking_and_a_future_estimate(shop_server: str) -> None:
    order = _order(shop_server, "10001")
    assert order["carrier"] and order["tracking_number"]
    assert date.fromisoformat(order["expected_delivery"]) > date.today()
    assert order["delivered_at"] is None
    assert order["items"] and order["total"] > 0


def test_delayed_order_has_a_new_estimate_later_than_the_original(shop_server: str) -> None:
    order = _order(shop_server, "10003")
    new_estimate = date.fromisoformat(order["expected_delivery"])
    assert new_estimate > date.fromisoformat(order["original_expected_delivery"])
    assert new_estimate > date.today()
    assert order["delay_reason"] and order["carrier"] and order["tracking_number"]


def test_lost_order_was_shipped_and_is_no_longer_expected(shop_server: str) -> None:
    order = _order(shop_server, "10004")
    assert order["shipped_at"] and order["tracking_number"]
    assert order["expected_delivery"] is None and order["delivered_at"] is None
    assert date.fromisoformat(order["original_expected_delivery"]) < date.today()


def test_processing_order_has_not_shipped(shop_server: str) -> None:
    order = _order(shop_server, "10005")
    assert order["shipped_at"] is None and order["tracking_number"] is None
    assert date.fromisoformat(order["expected_delivery"]) > date.today()


def test_delivered_orders_are_dated_relative_to_today(shop_server: str) -> None:
    recent, old = _order(shop_server, "10002"), _order(shop_server, "10007")
    assert 0 < (date.today() - date.fromisoformat(recent["delivered_at"])).days <= 30
    assert (date.today() - date.fromisoformat(old["delivered_at"])).days > 30


def test_refunded_order_carries_its_refund(shop_server: str) -> None:
    refund = _order(shop_server, "10006")["refund"]
    assert refund["reference"] == "RF-3QX8ZP" and refund["status"] == "paid"
    assert refund["amount"] == 59.90


def test_order_total_is_exact_money(shop_server: str) -> None:
    assert _order(shop_server, "10012")["total"] == 32.97


def test_unknown_order_is_404(shop_server: str) -> None:
    response = _get(shop_server, "/orders/99999")
    assert_documented(response, "/orders/{order_number}", "get")
    assert "99999" in assert_error(response, 404, "order_not_found")


@pytest.mark.parametrize("number", MALFORMED_NUMBERS)
@pytest.mark.parametrize("suffix", ["", "/refund-eligibility"])
def test_malformed_order_number_is_400(shop_server: str, number: str, suffix: str) -> None:
    response = _get(shop_server, f"/orders/{_encoded(number)}{suffix}")
    assert_error(response, 400, "invalid_order_number")


def test_unencoded_dot_dot_path_is_answered_as_a_bad_order_number(shop_server: str) -> None:
    """A raw "/orders/../etc" (http.client sends the path as is) must not climb the API."""
    connection = http.client.HTTPConnection(urlsplit(shop_server).netloc, timeout=10)
    try:
        connection.request("GET", "/orders/../etc/passwd")
        response = connection.getresponse()
        assert response.status == 400
        assert b'"invalid_order_number"' in response.read()
    finally:
        connection.close()


def test_injection_attempts_leave_the_data_intact(shop_server: str) -> None:
    for number in MALFORMED_NUMBERS:
        _get(shop_server, f"/orders/{_encoded(number)}")
    orders = _get(shop_server, "/orders").json()["orders"]
    assert {o["order_number"] for o in orders} == set(SEEDED)
