"""Which digit runs in a message are order numbers, and which are a phone number, a postcode or
an amount that happens to have five or more digits.

The entity regex (data/nlu/regexes.yml) takes any run of 5 to 15 digits: "where is order
10001? my phone is +44 7700 900123" gave two order numbers, and the assistant answered "I
can't find order 900123". `MessageGuard` (addons/message_guard.py) drops the `order_number`
entities this module says are something else, so no slot, form or contact history sees them.

A run is not an order number when:
- it is part of a phone number: a '+' or '(' leads its group of digits, or it sits in a chain
  of digit groups joined by single spaces, dots, hyphens or brackets ("07700 900123",
  "(020) 7946 0958"), or it is a run of ten or more digits starting with 0 ("07700900123"),
  or a phone word comes just before it ("phone", "call me on", "ext", "전화");
- it is a postcode: a postcode word comes just before it ("zip", "postcode", "PLZ",
  "우편번호"), or it follows a US state code after a comma (", IL 62704");
- it is an amount: a currency sign or code is next to it ("$10000", "GBP 12000", "15000원",
  "12000 dollars"), or it has decimals ("12000.50").
"""

from __future__ import annotations

import re

_PHONE_WORDS = (
    r"phone|mobile|cell|cellphone|tel|telephone|landline|fax|whats\s*app|call\s+me(?:\s+(?:on|at))?"
    r"|text\s+me(?:\s+(?:on|at))?|reach\s+me(?:\s+(?:on|at))?|contact\s+number|phone\s+number"
    r"|mobile\s+number|ext|extension|전화|전화번호|휴대폰|핸드폰|연락처"
)
_POSTCODE_WORDS = r"zip|zip\s*code|zipcode|post\s*code|postal\s*code|plz|cap|우편번호"
_CURRENCY_BEFORE = r"[$£€¥₩₹]|\b(?:usd|gbp|eur|krw|jpy|cad|aud|chf|inr|rs\.?)"
_CURRENCY_AFTER = (
    r"[$£€¥₩₹]|원|(?:usd|gbp|eur|krw|jpy|cad|aud|chf|inr|dollars?|pounds?|euros?|won|yen"
    r"|quid|bucks|pence|cents?)\b"
)

# What may come between a keyword and the number: "phone: ", "phone number is ", "zip code - ".
_GAP = r"(?:\s*(?:number|no\.?|#|is|was|:|-|=|on|at)?\s*){0,4}"
_KEYWORD_BEFORE = re.compile(
    rf"(?:\b(?:{_PHONE_WORDS}|{_POSTCODE_WORDS})|전화|우편번호|연락처){_GAP}[+(]?[\d\s().-]*$",
    re.IGNORECASE,
)
_CURRENCY_BEFORE_RE = re.compile(rf"(?:{_CURRENCY_BEFORE})\s*$", re.IGNORECASE)
_CURRENCY_AFTER_RE = re.compile(rf"^\s*(?:{_CURRENCY_AFTER})", re.IGNORECASE)
_DECIMALS_AFTER = re.compile(r"^[.,]\d{1,2}(?!\d)")
_STATE_BEFORE = re.compile(r",\s*[A-Z]{2}\s+$")
# A chain of digit groups joined by phone separators, as far as it reaches either way.
_CHAIN_BEFORE = re.compile(r"[+(]?(?:\d+[ .\-()]{1,2})*[+(]?$")
_CHAIN_AFTER = re.compile(r"^(?:[ .\-()]{1,2}\d+)*")


def _looks_like_phone(text: str, start: int, end: int) -> bool:
    """The run is a group of a phone number: led by '+' or '(', or chained to other digit
    groups of which one is short or starts with 0 ("07700 900123", "+44 7700 900123"). A
    chain of order-shaped groups ("10001 10002") is a list of orders."""
    before = _CHAIN_BEFORE.search(text[:start])
    after = _CHAIN_AFTER.match(text[end:])
    chain = (
        (before.group(0) if before else "") + text[start:end] + (after.group(0) if after else "")
    )
    if "+" in chain or "(" in chain:
        return True
    if text[start] == "0" and end - start >= 10:
        return True  # a national phone number: "07700900123", "01012345678"
    groups = re.findall(r"\d+", chain)
    return len(groups) > 1 and any(len(g) < 5 or g.startswith("0") for g in groups)


def is_order_number_at(text: str, start: int, end: int) -> bool:
    """Whether the digits at text[start:end] are an order number (module docstring)."""
    before, after = text[:start], text[end:]
    if before.rstrip().endswith("#"):
        return True  # "#10001": how customers mark an order
    if _CURRENCY_BEFORE_RE.search(before) or _CURRENCY_AFTER_RE.search(after):
        return False
    if _DECIMALS_AFTER.match(after):
        return False
    if _STATE_BEFORE.search(before):
        return False
    if _KEYWORD_BEFORE.search(before[-60:]):
        return False
    return not _looks_like_phone(text, start, end)
