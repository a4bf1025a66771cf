"""Masks payment card numbers (last 4 digits kept), emails and phone numbers in free text.

Cards are recognised as 13 to 19 digits, optionally grouped by spaces or dashes, that pass
the Luhn check (so order numbers, dates and phone numbers are left alone). Card masking runs
on every customer message before Rasa stores it; the full masking runs on every log line.
"""

from __future__ import annotations

import re

CARD_CANDIDATE = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# International (+44 20 ...) or national (020 ..., 0151-...) numbers. Not a bare run of digits:
# log timestamps (2024-05-01 10:30) and order numbers must stay readable.
PHONE = re.compile(r"(?<![\w+])(?:\+\d|\(?0\d)(?:[ ()./-]{0,2}\d){7,14}(?!\d)")


def luhn_ok(digits: str) -> bool:
    """The check every payment card number passes."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group())
    if not luhn_ok(digits):
        return match.group()
    return "**** **** **** " + digits[-4:]


def mask_cards(text: str) -> str:
    """`text` with every card number replaced by `**** **** **** 1234`."""
    return CARD_CANDIDATE.sub(_card, text)


def mask_personal(text: str) -> str:
    """Cards, emails and phone numbers masked: for logs, where nobody needs them."""
    text = mask_cards(text)
    text = EMAIL.sub("<email>", text)
    return PHONE.sub("<phone>", text)
