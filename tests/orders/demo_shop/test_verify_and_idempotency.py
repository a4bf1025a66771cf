"""The owner check and idempotency keys on the real shop.

The owner check must answer one bit and nothing more; a write repeated with the same key must
change nothing and return the first answer, even when the repeats arrive at the same time.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from orders.client import Refused, ShopClient
from tests.orders.demo_shop.contract import assert_documented, assert_error

VERIFY = "/customers/verify"


def _verify(base_url: str, body: object) -> requests.Response:
    return requests.post(f"{base_url}{VERIFY}", json=body, timeout=10)


@pytest.mark.parametrize(
    ("number", "email", "verified"),
    [("10002", "alice@example.com", True), ("10002", "  ALICE@Example.com ", True),
     ("10002", "bob@example.com", False), ("10002", "nobody@example.com", False),
     ("99999", "alice@example.com", False), ("1; DROP TABLE orders", "alice@example.com", False),
     ("10002", "alice@example.com' OR '1'='1", False)],
)  # fmt: skip
def test_owner_check_answers_yes_or_no(
    shop_server: str, number: str, email: str, verified: bool
) -> None:
    body = assert_documented(_verify(shop_server, {"order_number": number, "email": email}),
                             VERIFY, "post")  # fmt: skip
    assert body == {"verified": verified}


def test_owner_check_reveals_nothing_else(shop_server: str) -> None:
    """Another customer's email, an unknown email and an unknown order look exactly alike."""
    answers = {
        _verify(shop_server, {"order_number": n, "email": e}).text
        for n, e in [("10002", "bob@example.com"), ("10002", "x@y.org"), ("99999", "x@y.org")]
    }
    assert len(answers) == 1 and "alice" not in answers.pop()


@pytest.mark.parametrize(
    "body", [None, [], {"order_number": "10002"}, {"order_number": "10002", "email": ""},
             {"order_number": 10002, "email": "alice@example.com"}],
)  # fmt: skip
def test_owner_check_refuses_a_bad_body(shop_server: str, body: object) -> None:
    assert_error(_verify(shop_server, body), 400, "invalid_body")


def test_client_owner_check(shop_server: str) -> None:
    with ShopClient(shop_server) as shop:
        assert shop.verify_owner("10005", "carol@example.com") is True
        assert shop.verify_owner("10005", "alice@example.com") is False


def test_repeated_refund_with_one_key_returns_the_same_refund(fresh_shop: str) -> None:
    url = f"{fresh_shop}/orders/10010/refunds"
    headers = {"Idempotency-Key": "test-refund-key-1"}
    first = requests.post(url, json={"reason": "Noisy"}, headers=headers, timeout=10)
    again = requests.post(url, json={"reason": "Noisy"}, headers=headers, timeout=10)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    with ShopClient(fresh_shop) as shop:
        assert shop.get_order("10010").refund.reference == first.json()["reference"]


def test_same_key_for_another_request_is_refused(fresh_shop: str) -> None:
    headers = {"Idempotency-Key": "test-refund-key-2"}
    requests.post(f"{fresh_shop}/orders/10010/refunds", json={"reason": "A"}, headers=headers,
                  timeout=10)  # fmt: skip
    other = requests.post(f"{fresh_shop}/orders/10012/refunds", json={"reason": "A"},
                          headers=headers, timeout=10)  # fmt: skip
    assert_error(other, 422, "idempotency_key_reused")
    with ShopClient(fresh_shop) as shop:
        assert shop.get_order("10012").refund is None


def test_malformed_key_is_refused(fresh_shop: str) -> None:
    response = requests.post(f"{fresh_shop}/orders/10011/cancel",
                             headers={"Idempotency-Key": "no spaces"}, timeout=10)  # fmt: skip
    assert_error(response, 400, "invalid_idempotency_key")


def test_concurrent_confirmations_create_one_refund(fresh_shop: str) -> None:
    """Eight copies of one confirmed refund at once: one refund, every answer names it."""
    with ShopClient(fresh_shop) as shop:

        def attempt(_: int) -> str:
            try:
                return shop.create_refund("10012", "Cracked", idempotency_key="same-confirm-1")
            except Refused as refusal:
                return refusal.code

        with ThreadPoolExecutor(max_workers=8) as pool:
            outcomes = list(pool.map(attempt, range(8)))
        created = shop.get_order("10012").refund
    assert created is not None
    references = {o.reference for o in outcomes if not isinstance(o, str)}
    assert references == {created.reference}
    # A copy that arrived while the first was running is told to retry, never given a new refund.
    assert {o for o in outcomes if isinstance(o, str)} <= {"request_in_progress"}


def test_repeated_cancel_with_one_key_answers_the_same(fresh_shop: str) -> None:
    with ShopClient(fresh_shop) as shop:
        first = shop.cancel_order("10011", idempotency_key="cancel-key-10011")
        again = shop.cancel_order("10011", idempotency_key="cancel-key-10011")
        assert first == again and again.status == "cancelled"
        with pytest.raises(Refused) as refusal:
            shop.cancel_order("10011", idempotency_key="another-cancel-key")
    assert refusal.value.code == "already_cancelled"
