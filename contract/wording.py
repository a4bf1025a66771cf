"""The assistant's wording in other languages, without Rasa: the translated response files
(config/responses_ko.yml, in the domain's shape), the actions' English values (dates, money,
fixed words) in Korean formats, and Korean particles chosen by the word before them.

Shared by the Rasa server's NLG (addons/nlg.py) and the agent desk, whose notices to the
customer (a person joined, handed back) follow the conversation's language too; the desk does
not load Rasa, so none of this may import it.
"""

from __future__ import annotations

import random
import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from contract.delay_reasons import load_delay_reasons

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILES = {"ko": "config/responses_ko.yml"}


def load_responses(path: Path) -> dict[str, list[dict[str, Any]]]:
    """The `responses:` mapping of a YAML file in the domain's shape."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    responses = raw.get("responses")
    if not isinstance(responses, dict):
        raise ValueError(f"{path}: no `responses:` mapping")
    for name, variations in responses.items():
        if not isinstance(variations, list) or not all(
            isinstance(v, dict) and ("text" in v or "custom" in v) for v in variations
        ):
            raise ValueError(f"{path}: response {name} needs a list of variations with `text`")
    return responses


_WEEKDAYS = {
    "Mon": "월",
    "Tue": "화",
    "Wed": "수",
    "Thu": "목",
    "Fri": "금",
    "Sat": "토",
    "Sun": "일",
}
_MONTHS = {m: i for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)}
# actions/shop_access.format_date: "Wed 25 Nov".
_DATE = re.compile(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\d{1,2}) (" + "|".join(_MONTHS) + r")")
_MONEY = re.compile(r"^(\d+(?:\.\d+)?) ([A-Z]{3})$")
_CURRENCIES = {"EUR": "유로", "KRW": "원", "USD": "달러", "GBP": "파운드", "JPY": "엔"}
# tickets/hours.format_reply_by: "10:00 today (Europe/Berlin time)", "10:00 on Mon 24 Nov (...)".
_REPLY_BY = re.compile(r"^(\d{1,2}:\d{2}) (today|tomorrow|on (.+)) \((.+) time\)$")
# The shop's and the actions' fixed English words, as Korean customers read them.
_WORDS = {
    "unknown": "미정",
    "the carrier": "택배사",
    "not yet available": "아직 없음",
    "being processed": "처리 중",
    "paid out": "지급 완료",
    "processing": "발송 준비 중",
    "in_transit": "배송 중",
    "delayed": "배송 지연",
    "delivered": "배송 완료",
    "lost": "분실",
    "cancelled": "취소됨",
    "returned": "반품됨",
}


def korean_date(text: str) -> str:
    """'Wed 25 Nov' -> '11월 25일(수)', wherever it sits in the text."""
    return _DATE.sub(
        lambda m: f"{_MONTHS[m.group(3)]}월 {int(m.group(2))}일({_WEEKDAYS[m.group(1)]})", text
    )


def korean_money(amount: str, currency: str) -> str:
    """'124.50', 'EUR' -> '124.50유로'; won have no cents and group by thousands."""
    if currency == "KRW":
        return f"{round(float(amount)):,}원"
    return f"{amount}{_CURRENCIES.get(currency, ' ' + currency)}"


def _korean_delay_reason(code: object, text: str) -> str:
    """' (reason in Korean)' for the Korean templates' `...지연되고 있어요{delay_reason}.`, or ''
    when the reason cannot be said in Korean (config/delay_reasons.yml): never the English."""
    reason = load_delay_reasons().in_korean(code if isinstance(code, str) else None, text)
    return f"({reason})" if reason else ""


def korean_values(values: dict[str, Any]) -> dict[str, Any]:
    """The actions' values (English formats) in Korean formats: dates, money, fixed words."""
    out = dict(values)
    currency = str(values.get("currency") or "")
    for key, value in values.items():
        if not isinstance(value, str):
            continue
        text = value.strip()
        if key == "currency":
            continue
        if key == "amount" and currency and re.fullmatch(r"\d+(?:\.\d+)?", text):
            out[key] = korean_money(text, currency)
        elif (money := _MONEY.match(text)) is not None:
            out[key] = korean_money(money.group(1), money.group(2))
        elif key == "tracking" and text.startswith("(tracking "):
            out[key] = f" (송장번호 {text[len('(tracking ') : -1]})"
        elif key == "reply_by" and (when := _REPLY_BY.match(text)) is not None:
            day = {"today": "오늘", "tomorrow": "내일"}.get(when.group(2))
            day = day or korean_date(when.group(3) or "")
            out[key] = f"{day} {when.group(1)}({when.group(4)} 기준)"
        elif key == "delay_reason":
            out[key] = _korean_delay_reason(values.get("delay_reason_code"), text)
        elif text in _WORDS:
            out[key] = _WORDS[text]
        else:
            out[key] = korean_date(value)
    if currency and "amount" in values:
        out["currency"] = ""  # carried by the amount itself
    return out


# Particles written "은(는)" after a placeholder: the right one is chosen by how the word
# before it ends when read aloud (a final consonant takes 은/이/을/과).
_PARTICLES = {
    "은(는)": ("은", "는"),
    "이(가)": ("이", "가"),
    "을(를)": ("을", "를"),
    "과(와)": ("과", "와"),
}
_PARTICLE = re.compile(r"(\S)(" + "|".join(re.escape(p) for p in _PARTICLES) + ")")
# Digits as read in Korean: 일 이 삼 사 오 육 칠 팔 구; a final 0 is read 십/백/천/만 (consonant).
_DIGIT_FINAL_CONSONANT = set("013678")
# Latin letters read with a final consonant: 엘 엠 엔 알.
_LATIN_FINAL_CONSONANT = set("lmnr")


def _ends_in_consonant(char: str) -> bool:
    if "가" <= char <= "힣":
        return (ord(char) - 0xAC00) % 28 != 0
    if char.isdigit():
        return char in _DIGIT_FINAL_CONSONANT
    return char.lower() in _LATIN_FINAL_CONSONANT


def fix_particles(text: str) -> str:
    """'주문 10002은(는)' -> '주문 10002는': the particle the preceding word takes."""
    return _PARTICLE.sub(
        lambda m: m.group(1) + _PARTICLES[m.group(2)][0 if _ends_in_consonant(m.group(1)) else 1],
        text,
    )


@cache
def responses_in(language: str) -> dict[str, list[dict[str, Any]]]:
    """The translated responses of `language` ({} for English or a language without a file),
    read once per process."""
    name = DEFAULT_FILES.get(language)
    return load_responses(PROJECT_ROOT / name) if name else {}


def localised_values(language: str, values: dict[str, Any]) -> dict[str, Any]:
    """The actions' English-format values as `language` writes them."""
    return korean_values(values) if language == "ko" else values


def localised_text(language: str, text: str) -> str:
    """A filled response made right for `language` (Korean particles after placeholders)."""
    return fix_particles(text) if language == "ko" else text


def pick_text(variants: list[dict[str, Any]], channel: str) -> str | None:
    """A text among the unconditional variants, preferring those for `channel`, as Rasa does
    (None when there is none)."""
    usable = [v for v in variants if v.get("text") and not v.get("condition")]
    pool = [v for v in usable if v.get("channel") == channel] or [
        v for v in usable if not v.get("channel")
    ]
    return str(random.choice(pool)["text"]) if pool else None
