"""Input a customer should never be able to crash the assistant with."""

from __future__ import annotations

import pytest
import requests

from launcher.stack import Stack
from tests.e2e.customer import Customer

UNHELPFUL = ""


@pytest.mark.parametrize("text", ["", "   ", "\n\t"], ids=["empty", "spaces", "whitespace"])
def test_empty_message_gets_a_clear_answer(customer: Customer, text: str) -> None:
    answer = customer.ask(text)
    assert answer != UNHELPFUL
    assert "didn't get that" in answer or "can't help" in answer


def test_huge_message_gets_an_answer(customer: Customer) -> None:
    answer = customer.ask("where is my parcel " + "a" * 20_000)
    assert answer != UNHELPFUL


def test_emoji_only_gets_an_answer(customer: Customer) -> None:
    assert customer.ask("😡😡😡") != UNHELPFUL


@pytest.mark.parametrize(
    "text", ["10001; DROP TABLE orders", "../../etc/passwd", "10001' OR '1'='1", "#%00/10002"]
)
def test_hostile_order_number_is_answered_and_harmless(
    stack: Stack, customer: Customer, text: str
) -> None:
    assert "order number" in customer.ask("where is my order?")
    assert customer.ask(text) != UNHELPFUL
    # Only digits ever reach the shop: its orders are all still there and unchanged.
    orders = requests.get(f"{stack.settings.shop_url}/orders", timeout=10).json()["orders"]
    assert {o["order_number"] for o in orders} >= {str(n) for n in range(10001, 10013)}
