"""Masks payment card numbers (last 4 digits kept), emails and phone numbers in free text.

Cards are recognised as 13 to 19 digits, optionally grouped by spaces or dashes, that pass
the Luhn check (so order numbers, dates and phone numbers are left alone). Card and phone
masking run on every customer message before Rasa stores it (`mask_before_storage`); the full
masking runs on every log line.

The agent desk shows what an agent needs and hides the rest (`mask_for_desk`): the email stays
(the agent checks it against the order before acting), as do order numbers; phone numbers,
street addresses and postcodes typed into the chat are hidden, since the desk replies in the
chat and the shop's order system already holds the delivery address.
"""

from __future__ import annotations

import re

CARD_CANDIDATE = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# International (+44 20 ...) or national (020 ..., 0151-...) numbers. Not a bare run of digits:
# log timestamps (2024-05-01 10:30) and order numbers must stay readable.
PHONE = re.compile(r"(?<![\w+])(?:\+\d|\(?0\d)(?:[ ()./-]{0,2}\d){7,14}(?!\d)")
# A house number, one to three capitalised words and a street word: "221B Baker Street",
# "14 Rue de la Paix" is not caught (nor an all-lowercase address): see the README's limits.
STREET = re.compile(
    r"\b\d{1,5}[A-Za-z]?,?\s+(?:[A-Z][\w'’.-]*\s+){1,3}"
    r"(?i:street|st|road|rd|avenue|ave|lane|ln|drive|dr|way|close|court|ct|place|pl|"
    r"boulevard|blvd|terrace|crescent|gardens|square|sq|strasse|straße|hill|row|walk)\b\.?"
)
# UK postcodes ("SW1A 1AA", "m1 1ae").
POSTCODE = re.compile(r"\b(?i:[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})\b")
HIDDEN_PHONE = "[phone number hidden]"
HIDDEN_ADDRESS = "[address hidden]"


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


def mask_before_storage(text: str) -> str:
    """What every channel does to a customer message before Rasa stores it: card numbers
    masked (last 4 kept) and phone numbers hidden (no flow needs them, and trackers, the turn
    series, tickets and the append-only file would keep them). Emails stay: proving an order
    needs the one the customer typed; they are sealed at rest instead (contract/at_rest.py)."""
    return PHONE.sub(HIDDEN_PHONE, mask_cards(text))


def mask_emails(text: str) -> str:
    """Every email replaced by `<email>`: for stores that never need the address itself."""
    return EMAIL.sub("<email>", text)


def mask_personal(text: str) -> str:
    """Cards, emails and phone numbers masked: for logs, where nobody needs them."""
    return PHONE.sub("<phone>", mask_emails(mask_cards(text)))


def mask_for_desk(text: str) -> str:
    """Cards, phone numbers, street addresses and postcodes hidden; emails kept (agents verify
    the customer with them) and order numbers kept."""
    text = mask_cards(text)
    text = STREET.sub(HIDDEN_ADDRESS, text)
    text = POSTCODE.sub(HIDDEN_ADDRESS, text)
    return PHONE.sub(HIDDEN_PHONE, text)
