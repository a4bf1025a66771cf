"""Input a customer should never be able to crash the assistant with, and what they get instead.

Each case asserts the reply a customer should see, not just that there is one: a reply that
answers the wrong question (or hands over to a person nobody asked for) is as bad as silence.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests

from launcher.stack import Stack
from tests.e2e.customer import Customer

ASKS_FOR_THE_NUMBER = "what's the order number?"


def assert_still_with_the_assistant(customer: Customer) -> None:
    """Bad input alone never pauses the conversation or puts a ticket on the desk."""
    assert not customer.is_paused()
    assert customer.ticket() is None


@pytest.mark.parametrize("text", ["", "   ", "\n\t"], ids=["empty", "spaces", "whitespace"])
def test_empty_message_gets_a_clear_answer(customer: Customer, text: str) -> None:
    answer = customer.ask(text)
    assert "didn't get any words" in answer, answer


def test_huge_message_gets_an_answer(customer: Customer) -> None:
    """The words before 20,000 characters of noise are understood: a delivery question.

    This used to hand over to a person as if the customer had asked for one (addons/tokenizer.py).
    """
    answer = customer.ask("where is my parcel " + "a" * 20_000)
    assert ASKS_FOR_THE_NUMBER in answer, answer
    assert customer.slot("requested_slot") == "order_number"
    assert_still_with_the_assistant(customer)


def test_emoji_only_gets_an_answer(customer: Customer) -> None:
    """Nothing to understand: the customer is asked to say it another way, and offered a person."""
    answer = customer.ask("😡😡😡")
    assert "didn't get any words" in answer, answer
    assert_still_with_the_assistant(customer)


def order_states(stack: Stack) -> dict[str, Any]:
    """Every order's status and refund, from the shop's own listing."""
    response = requests.get(f"{stack.settings.shop_url}/orders", timeout=10)
    response.raise_for_status()
    return {o["order_number"]: (o["status"], o["refund"]) for o in response.json()["orders"]}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # SQL-like text never starts anything (nlu_guard): the question is asked again.
        ("10001; DROP TABLE orders", ["plain words", ASKS_FOR_THE_NUMBER]),
        ("10001' OR '1'='1", ["plain words", ASKS_FOR_THE_NUMBER]),
        ("#%00/10002", ["order 10002 was delivered on"]),
        # No order number at all: said so, and the question again.
        ("../../etc/passwd", ["doesn't look like an order number", ASKS_FOR_THE_NUMBER]),
    ],
)
def test_hostile_order_number_is_answered_and_harmless(
    stack: Stack, customer: Customer, text: str, expected: list[str]
) -> None:
    before = order_states(stack)
    assert ASKS_FOR_THE_NUMBER in customer.ask("where is my order?")
    answer = customer.ask(text)
    assert all(phrase in answer for phrase in expected), answer
    # Only digits ever reach the shop: every order is still there, in the same state.
    assert order_states(stack) == before
    assert_still_with_the_assistant(customer)
