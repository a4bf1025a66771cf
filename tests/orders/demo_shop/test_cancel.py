"""Cancelling orders on the real shop: only before shipping, and only once."""

from __future__ import annotations

import pytest
import requests

from tests.orders.demo_shop.contract import assert_documented, assert_error

CANCEL = "/orders/{order_number}/cancel"


def _cancel(base_url: str, number: str) -> requests.Response:
    return requests.post(f"{base_url}/orders/{number}/cancel", timeout=10)


def test_cancel_lifecycle(fresh_shop: str) -> None:
    """A processing order is cancelled once; afterwards it is neither cancellable nor refundable."""
    response = _cancel(fresh_shop, "10005")
    assert response.status_code == 200
    order = assert_documented(response, CANCEL, "post")
    assert (order["order_number"], order["status"]) == ("10005", "cancelled")
    assert order["expected_delivery"] is None

    stored = requests.get(f"{fresh_shop}/orders/10005", timeout=10).json()
    assert stored == order

    again = _cancel(fresh_shop, "10005")
    assert_documented(again, CANCEL, "post")
    assert_error(again, 409, "already_cancelled")

    eligibility = requests.get(f"{fresh_shop}/orders/10005/refund-eligibility", timeout=10)
    assert eligibility.json()["reason"] == "cancelled"


def test_cancelling_one_order_leaves_the_others_alone(fresh_shop: str) -> None:
    _cancel(fresh_shop, "10011")
    orders = requests.get(f"{fresh_shop}/orders", timeout=10).json()["orders"]
    cancelled = {o["order_number"] for o in orders if o["status"] == "cancelled"}
    assert cancelled == {"10008", "10011"}


@pytest.mark.parametrize("number", ["10001", "10002", "10003", "10004", "10006"])
def test_order_that_has_shipped_cannot_be_cancelled(shop_server: str, number: str) -> None:
    status_before = requests.get(f"{shop_server}/orders/{number}", timeout=10).json()["status"]
    response = _cancel(shop_server, number)
    assert_documented(response, CANCEL, "post")
    assert status_before in assert_error(response, 409, "already_shipped")
    assert requests.get(f"{shop_server}/orders/{number}", timeout=10).json()["status"] == (
        status_before
    )


def test_cancelled_order_is_refused_as_already_cancelled(shop_server: str) -> None:
    response = _cancel(shop_server, "10008")
    assert_documented(response, CANCEL, "post")
    assert_error(response, 409, "already_cancelled")


def test_cancel_of_unknown_order_is_404(shop_server: str) -> None:
    response = _cancel(shop_server, "99999")
    assert_documented(response, CANCEL, "post")
    assert_error(response, 404, "order_not_found")


@pytest.mark.parametrize("number", ["1%3B%20DROP%20TABLE%20orders", "..%2Fetc", "10005%27"])
def test_cancel_of_malformed_order_number_is_400(shop_server: str, number: str) -> None:
    response = _cancel(shop_server, number)
    assert_error(response, 400, "invalid_order_number")
