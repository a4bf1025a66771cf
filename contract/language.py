"""Which language a customer writes in: English or Korean, from the words alone.

The two languages use disjoint scripts, so the letters decide, not a statistical model: Hangul
(syllables and the initial-consonant abbreviations ㅋㅋ, ㅠㅠ, ㅇㅇ) against Latin letters.
Korean customers mix in English words ("refund 해주세요", "배송 조회 plz"), so a message is Korean
when its Hangul weighs at least a third of its Latin letters (a syllable carries two or three
letters' worth). lingua-language-detector was tried and calls both mixed examples English.
Order numbers, refund references, emails, links, digits and emoji carry no language; a single
Latin word ("ok", "agent", "thx") is what Korean customers type too, so it keeps the language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

ENGLISH: Final = "en"
KOREAN: Final = "ko"
LANGUAGES: Final = (ENGLISH, KOREAN)
LANGUAGE_SLOT: Final = "language"
# Message metadata keys a channel (the web widget: the page's <html lang>) may set.
METADATA_KEYS: Final = ("language", "lang", "locale")

_IDENTIFIERS = re.compile(
    r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
    r"|https?://\S+|www\.\S+|\bRF-[A-Z0-9]{6}\b|\d+",
    re.IGNORECASE,
)
_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3131-\u318e]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")


def detect_language(text: str) -> str | None:
    """KOREAN, ENGLISH, or None when the words do not tell (identifiers, emoji, one Latin word,
    a button's payload such as "/request_human")."""
    if text.lstrip().startswith("/"):
        return None
    words = _IDENTIFIERS.sub(" ", text)
    hangul = len(_HANGUL.findall(words))
    latin_words = _LATIN_WORD.findall(words)
    latin = sum(len(word) for word in latin_words)
    if hangul and hangul * 3 >= latin:
        return KOREAN
    if len(latin_words) >= 2 or (latin_words and not hangul and latin >= 12):
        return ENGLISH
    return None


def page_language(metadata: Mapping[str, Any] | None) -> str | None:
    """The language a channel passed in the message metadata ("ko", "ko-KR", "en_GB"), if known."""
    for key in METADATA_KEYS:
        value = (metadata or {}).get(key)
        if isinstance(value, str):
            code = value.strip().lower().replace("_", "-").split("-")[0]
            if code in LANGUAGES:
                return code
    return None
