"""Whether an answer to "What's the order number?" says the customer has none to give.

Asked for the number, "I don't have it" or "lost the email" is no number, but re-asking ("That
doesn't look like an order number") would leave the customer nowhere to go; this lets the order
forms answer it instead (where the number is, a person if it can't be found) and end the form.
Read only when the answer holds no order number, so a number with a remark is still a number.
"""

from __future__ import annotations

import re
from typing import Final

# A negation or a loss, then what is missing: "I don't have it", "no order number",
# "can't find the confirmation", "lost the email", "forgot it", "no idea", "not sure".
_ENGLISH: Final = re.compile(
    r"\b(?:do ?n[o']?t|dont|haven'?t|have ?not|not|no|can'?t|cannot|could ?n'?t|lost|forgot|"
    r"deleted|never got|without)\b.{0,40}?"
    r"\b(?:number|it|one|email|e-mail|confirmation|receipt|idea|clue|remember|know|sure)\b",
    re.IGNORECASE,
)
# Korean: "번호(가) 없어요", "주문번호 몰라요", "이메일을 잃어버렸어요".
_KOREAN: Final = re.compile(r"(?:번호|메일|확인).{0,10}?(?:없|모르|몰라|잃어|못 찾|못찾|기억)")


def says_no_number(text: str) -> bool:
    """True when the text says the customer has no order number to give (or can't find it)."""
    return bool(_ENGLISH.search(text) or _KOREAN.search(text))
