"""An answer to "What's the order number?" that says there is none (actions/no_number.py)."""

from __future__ import annotations

import pytest

from actions.no_number import says_no_number


@pytest.mark.parametrize(
    "text",
    [
        "I don't have the order number",
        "dont have it",
        "no idea",
        "I lost the confirmation email",
        "can't find it anywhere",
        "not sure, I deleted the email",
        "i dont know it sorry",
        "주문번호가 없어요",
        "이메일을 잃어버렸어요",
    ],
)
def test_says_no_number(text: str) -> None:
    assert says_no_number(text)


@pytest.mark.parametrize("text", ["ABC-12", "10001", "one two three", "order five", "12-345"])
def test_a_wrong_number_is_not_no_number(text: str) -> None:
    assert not says_no_number(text)
