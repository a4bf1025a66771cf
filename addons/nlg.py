"""Replies in the conversation's language: Korean wording from config/responses_ko.yml when the
`language` slot is `ko`, the domain's English responses otherwise.

Loaded by the Rasa server from endpoints.yml (`nlg: type: addons.nlg.LanguageAwareNLG`); every
response goes through it, those the dialogue predicts and those the action server names
(`dispatcher.utter_message(response=...)`). The Korean file has the domain's shape (variations,
`condition` on slots such as frustration_level, buttons, {placeholders}), so Rasa's own
TemplatedNaturalLanguageGenerator picks and fills the variation in both languages.

Why not conditional variations in domain/ (`condition: slot language = ko`)? They would put a
second language into every English response of the domain, which other people edit every day;
and a Korean variation without a frustration condition would lose to an English one with it
(Rasa prefers any matching conditional variation), so each response would need every
combination written out. A response missing from the Korean file is answered in English
rather than not at all (tests/addons/test_nlg.py checks none is missing).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import yaml
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from contract.language import ENGLISH, LANGUAGE_SLOT

logger = logging.getLogger(__name__)

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
    "a delay at the carrier": "택배사 사정",
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


class LanguageAwareNLG(TemplatedNaturalLanguageGenerator):
    """The domain's responses in English; other languages' files by the `language` slot.

    A TemplatedNaturalLanguageGenerator itself: the Rasa server builds the NLG before it loads
    a model and then hands the model's domain responses only to generators of that class
    (rasa/core/agent.py), so the English responses live in `self.responses` as Rasa sets them.
    """

    def __init__(
        self, endpoint_config: EndpointConfig | None = None, domain: Domain | None = None
    ) -> None:
        """Reads each language's file (endpoints.yml may name others under `files`)."""
        super().__init__((domain or Domain.empty()).responses)
        files = dict(DEFAULT_FILES)
        if endpoint_config is not None:
            files.update((endpoint_config.kwargs or {}).get("files") or {})
        self.languages = {
            language: TemplatedNaturalLanguageGenerator(load_responses(PROJECT_ROOT / name))
            for language, name in files.items()
        }

    def generator_for(
        self, utter_action: str, language: str | None
    ) -> TemplatedNaturalLanguageGenerator | None:
        """The generator holding `utter_action` in `language`; None for the domain's English."""
        generator = self.languages.get(language or ENGLISH)
        if generator is not None and utter_action in generator.responses:
            return generator
        if generator is not None:
            logger.warning("no %s wording for %s: answered in English", language, utter_action)
        return None

    async def generate(
        self,
        utter_action: str,
        tracker: DialogueStateTracker,
        output_channel: str,
        **kwargs: Any,
    ) -> dict[str, Any] | None:
        """The response in the conversation's language."""
        language = tracker.get_slot(LANGUAGE_SLOT) if LANGUAGE_SLOT in tracker.slots else None
        generator = self.generator_for(utter_action, language)
        if generator is None:
            english: dict[str, Any] | None = await super().generate(
                utter_action, tracker, output_channel, **kwargs
            )
            return english
        response: dict[str, Any] | None = await generator.generate(
            utter_action, tracker, output_channel, **korean_values(kwargs)
        )
        if response is not None and isinstance(response.get("text"), str):
            response["text"] = fix_particles(response["text"])
        return response
