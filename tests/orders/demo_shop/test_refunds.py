"""Refunds on the real shop: eligibility per seeded order, the lifecycle, refusals, bad bodies.

Tests that create a refund use `fresh_shop` (a shop of their own); the others only read, or
are refused, so they share the session's shop.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any

import pytest
import requests

from tests.orders.demo_shop.contract import assert_documented, assert_error

ELIGIBILITY = "/orders/{order_number}/refund-eligibility"
REFUNDS = "/orders/{order_number}/refunds"
REFUND = "/refunds/{reference}"
REFERENCE = re.compile(r"RF-[A-Z0-9]{6}")

# Seeded order -> (eligible, reason code) under the 30-day window the tests run the shop with.
EXPECTED_ELIGIBILITY = {
    "10001": (False, "not_delivered_yet"),
    "10002": (True, "eligible"),
    "10003": (False, "not_delivered_yet"),
    "10004": (True, "lost_in_transit"),
    "10005": (False, "not_shipped"),
    "10006": (False, "already_refunded"),
    "10007": (False, "outside_return_window"),
    "10008": (False, "cancelled"),
    "10009": (False, "not_delivered_yet"),
    "10010": (True, "eligible"),
    "10011": (False, "not_shipped"),
    "10012": (True, "eligible"),
}
INELIGIBLE = [number for number, (eligible, _) in EXPECTED_ELIGIBILITY.items() if not eligible]


def _eligibility(base_url: str, number: str) -> dict[str, Any]:
    response = requests.get(f"{base_url}/orders/{number}/refund-eligibility", timeout=10)
    assert response.status_code == 200
    eligibility: dict[str, Any] = assert_documented(response, ELIGIBILITY, "get")
    return eligibility


def _request_refund(base_url: str, number: str, body: Any) -> requests.Response:
    return requests.post(f"{base_url}/orders/{number}/refunds", json=body, timeout=10)


@pytest.mark.parametrize(("number", "expected"), EXPECTED_ELIGIBILITY.items())
def test_eligibility_of_each_seeded_order(
    shop_server: str, number: str, expected: tuple[bool, str]
) -> None:
    eligibility = _eligibility(shop_server, number)
    assert (eligibility["eligible"], eligibility["reason"]) == expected
    assert eligibility["message"].strip()


def test_outside_window_message_gives_the_days_and_the_window(shop_server: str) -> None:
    message = _eligibility(shop_server, "10007")["message"]
    assert "30-day" in message and re.search(r"\b\d+ days ago", message)


def test_eligibility_of_unknown_order_is_404(shop_server: str) -> None:
    response = requests.get(f"{shop_server}/orders/99999/refund-eligibility", timeout=10)
    assert_documented(response, ELIGIBILITY, "get")
    assert_error(response, 404, "order_not_found")


def test_refund_lifecycle(fresh_shop: str) -> None:
    """Eligible, created, readable by reference and on the order, then never granted twice."""
    order = requests.get(f"{fresh_shop}/orders/10002", timeout=10).json()
    assert _eligibility(fresh_shop, "10002")["eligible"] is True

    response = _request_refund(fresh_shop, "10002", {"reason": "  The shoes are too small.  "})
    assert response.status_code == 201
    refund = assert_documented(response, REFUNDS, "post")
    assert REFERENCE.fullmatch(refund["reference"])
    assert response.headers["Location"] == f"/refunds/{refund['reference']}"
    assert refund["order_number"] == "10002" and refund["status"] == "pending"
    assert (refund["amount"], refund["currency"]) == (order["total"], order["currency"])
    assert refund["reason"] == "The shoes are too small."
    promised = date.fromisoformat(refund["created_at"]) + timedelta(days=7)
    assert date.fromisoformat(refund["expected_by"]) == promised

    by_reference = requests.get(f"{fresh_shop}/refunds/{refund['reference']}", timeout=10)
    assert assert_documented(by_reference, REFUND, "get") == refund
    assert requests.get(f"{fresh_shop}/orders/10002", timeout=10).json()["refund"] == refund
    assert _eligibility(fresh_shop, "10002")["reason"] == "already_refunded"

    again = _request_refund(fresh_shop, "10002", {"reason": "Asking again"})
    assert_documented(again, REFUNDS, "post")
    assert refund["reference"] in assert_error(again, 409, "already_refunded")
    assert requests.get(f"{fresh_shop}/orders/10002", timeout=10).json()["refund"] == refund


def test_lost_parcel_is_refunded(fresh_shop: str) -> None:
    response = _request_refund(fresh_shop, "10004", {"reason": "Parcel lost in transit"})
    assert response.status_code == 201
    assert assert_documented(response, REFUNDS, "post")["amount"] == 45.00


def test_simultaneous_refund_requests_create_exactly_one_refund(fresh_shop: str) -> None:
    with ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(
            pool.map(
                lambda i: _request_refund(fresh_shop, "10012", {"reason": f"attempt {i}"}),
                range(6),
            )
        )
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201, 409, 409, 409, 409, 409]
    for response in responses:
        if response.status_code == 409:
            assert_error(response, 409, "already_refunded")
    created = next(response.json() for response in responses if response.status_code == 201)
    assert requests.get(f"{fresh_shop}/orders/10012", timeout=10).json()["refund"] == created


@pytest.mark.parametrize("number", INELIGIBLE)
def test_ineligible_order_is_refused_with_the_policy_reason(shop_server: str, number: str) -> None:
    response = _request_refund(shop_server, number, {"reason": "I want my money back"})
    assert_documented(response, REFUNDS, "post")
    assert_error(response, 409, EXPECTED_ELIGIBILITY[number][1])


@pytest.mark.parametrize(
    "body",
    [{}, {"reason": ""}, {"reason": "   "}, {"reason": 5}, {"reason": None}, ["reason"],
     {"reason": "x" * 501}],
    ids=["missing", "empty", "blank", "number", "null", "list", "too-long"],
)  # fmt: skip
def test_refund_without_a_valid_reason_is_400(shop_server: str, body: object) -> None:
    response = _request_refund(shop_server, "10002", body)
    assert_documented(response, REFUNDS, "post")
    assert_error(response, 400, "invalid_body")
    assert _eligibility(shop_server, "10002")["eligible"] is True  # nothing was created


def test_refund_body_that_is_not_json_is_400(shop_server: str) -> None:
    response = requests.post(
        f"{shop_server}/orders/10002/refunds",
        data="reason=too small",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=10,
    )
    assert_error(response, 400, "invalid_body")


def test_oversized_refund_body_is_413_json(shop_server: str) -> None:
    response = _request_refund(shop_server, "10002", {"reason": "x" * 20_000})
    assert_error(response, 413, "request_entity_too_large")


def test_refund_of_unknown_order_is_404(shop_server: str) -> None:
    response = _request_refund(shop_server, "99999", {"reason": "never arrived"})
    assert_documented(response, REFUNDS, "post")
    assert_error(response, 404, "order_not_found")


@pytest.mark.parametrize("number", ["1%3B%20DROP%20TABLE%20refunds", "..%2Fetc", "%2E%2E"])
def test_refund_of_malformed_order_number_is_400(shop_server: str, number: str) -> None:
    response = _request_refund(shop_server, number, {"reason": "x"})
    assert_error(response, 400, "invalid_order_number")


def test_seeded_refund_is_readable_by_reference(shop_server: str) -> None:
    response = requests.get(f"{shop_server}/refunds/RF-3QX8ZP", timeout=10)
    refund = assert_documented(response, REFUND, "get")
    assert (refund["order_number"], refund["status"]) == ("10006", "paid")


def test_unknown_refund_reference_is_404(shop_server: str) -> None:
    response = requests.get(f"{shop_server}/refunds/RF-ZZZZZZ", timeout=10)
    assert_documented(response, REFUND, "get")
    assert_error(response, 404, "refund_not_found")


@pytest.mark.parametrize("reference", ["rf-3qx8zp", "RF-3QX8Z", "RF-3QX8ZPP", "10006",
                                       "RF-3QX8Z%27", "..%2FRF-3QX8ZP", "%2E%2E"])  # fmt: skip
def test_malformed_refund_reference_is_400(shop_server: str, reference: str) -> None:
    response = requests.get(f"{shop_server}/refunds/{reference}", timeout=10)
    assert_error(response, 400, "invalid_refund_reference")
