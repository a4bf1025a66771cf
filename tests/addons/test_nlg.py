"""Replies in the conversation's language (addons/nlg.py, config/responses_ko.yml).

The real domain and the real Korean file are loaded: every English response has its Korean
wording with the same placeholders, conditions and button payloads, and a tracker with
`language: ko` gets it, with dates, amounts and particles in Korean form.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from addons.nlg import LanguageAwareNLG
from contract.wording import fix_particles, korean_values, load_responses
from harness.helpers import REPO_ROOT

KOREAN_FILE = REPO_ROOT / "config" / "responses_ko.yml"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@pytest.fixture(scope="module")
def domain() -> Domain:
    """The project's domain, as `rasa train --domain domain` reads it."""
    return Domain.load(str(REPO_ROOT / "domain"))


@pytest.fixture(scope="module")
def nlg(domain: Domain) -> LanguageAwareNLG:
    """The generator the Rasa server builds from endpoints.yml."""
    return LanguageAwareNLG(None, domain)


def tracker(domain: Domain, language: str | None, **slots: Any) -> DialogueStateTracker:
    """A conversation with the given slots set."""
    events = [SlotSet(name, value) for name, value in slots.items()]
    if language is not None:
        events.append(SlotSet("language", language))
    return DialogueStateTracker.from_events("customer", events, domain.slots)


def shape(variation: dict[str, Any]) -> tuple[Any, ...]:
    """What a translation must keep: placeholders and condition values."""
    conditions = tuple(sorted((c["name"], str(c["value"])) for c in variation.get("condition", [])))
    return (sorted(set(_PLACEHOLDER.findall(variation["text"]))), conditions)


def payloads(variation: dict[str, Any]) -> set[str]:
    """The buttons' payloads."""
    return {b["payload"] for b in variation.get("buttons", [])}


def test_every_response_has_korean_wording_of_the_same_shape(domain: Domain) -> None:
    korean = load_responses(KOREAN_FILE)
    assert sorted(set(domain.responses) - set(korean)) == []
    assert sorted(set(korean) - set(domain.responses)) == []
    for name, variations in domain.responses.items():
        assert sorted(map(shape, korean[name])) == sorted(map(shape, variations)), name
        # Korean may offer more buttons (네 / 아니요 where English asks for a typed yes/no).
        for english, translated in zip(variations, korean[name], strict=True):
            assert payloads(english) <= payloads(translated), name


def test_korean_wording_is_korean_and_polite() -> None:
    for name, variations in load_responses(KOREAN_FILE).items():
        for variation in variations:
            text = variation["text"]
            assert re.search(r"[가-힣]", text), name
            # 해요체 / 합쇼체 endings only: no 반말 sentence endings such as "-해." or "-야."
            assert not re.search(r"(?:해|야|지|어|냐)[.!?]", text), name


def test_korean_conversation_gets_korean_wording(nlg: LanguageAwareNLG, domain: Domain) -> None:
    reply = asyncio.run(nlg.generate("utter_greet", tracker(domain, "ko"), "rest"))
    assert reply is not None and "무엇을 도와드릴까요" in reply["text"]


def test_english_and_unset_language_get_the_domain_wording(
    nlg: LanguageAwareNLG, domain: Domain
) -> None:
    for language in ("en", None):
        reply = asyncio.run(nlg.generate("utter_greet", tracker(domain, language), "rest"))
        assert reply is not None and reply["text"].startswith("Hi! I'm the shop's")


def test_english_comes_from_the_responses_rasa_hands_over(domain: Domain) -> None:
    # The Rasa server builds the NLG before loading a model, then sets `responses` on it
    # (rasa/core/agent.py): an NLG that kept its own copy answered English with silence.
    nlg = LanguageAwareNLG(None, None)
    assert isinstance(nlg, TemplatedNaturalLanguageGenerator)
    nlg.responses = domain.responses
    reply = asyncio.run(nlg.generate("utter_greet", tracker(domain, "en"), "rest"))
    assert reply is not None and reply["text"].startswith("Hi! I'm the shop's")


def test_conditions_still_choose_the_tone(nlg: LanguageAwareNLG, domain: Domain) -> None:
    calm = asyncio.run(nlg.generate("utter_ask_order_number", tracker(domain, "ko"), "rest"))
    upset = asyncio.run(
        nlg.generate(
            "utter_ask_order_number",
            tracker(domain, "ko", frustration_level="frustrated"),
            "rest",
        )
    )
    assert calm is not None and upset is not None
    assert "죄송" not in calm["text"] and "죄송" in upset["text"]
    assert [b["title"] for b in upset["buttons"]] == ["상담원 연결"]


def test_action_values_are_put_in_korean_form(nlg: LanguageAwareNLG, domain: Domain) -> None:
    reply = asyncio.run(
        nlg.generate(
            "utter_refund_created",
            tracker(domain, "ko"),
            "rest",
            refund_reference="RF-7K2M9Q",
            order_number="10002",
            amount="124.50",
            currency="EUR",
            expected_by="Wed 25 Nov",
        )
    )
    assert reply is not None
    assert reply["text"] == (
        "주문 10002의 환불 접수를 마쳤어요. 환불 번호는 RF-7K2M9Q, 금액은 124.50유로이고, "
        "11월 25일(수)까지 입금될 거예요."
    )


def test_korean_values() -> None:
    assert korean_values({"amount": "12000.00", "currency": "KRW"}) == {
        "amount": "12,000원",
        "currency": "",
    }
    assert korean_values({"amount": "59.90 EUR"}) == {"amount": "59.90유로"}
    assert korean_values({"reply_by": "10:00 tomorrow (Europe/Berlin time)"}) == {
        "reply_by": "내일 10:00(Europe/Berlin 기준)"
    }
    assert korean_values({"tracking": " (tracking JJD0001)", "carrier": "the carrier"}) == {
        "tracking": " (송장번호 JJD0001)",
        "carrier": "택배사",
    }
    assert korean_values({"expected_delivery": "unknown"}) == {"expected_delivery": "미정"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("주문 10002은(는)", "주문 10002는"),
        ("주문 10001은(는)", "주문 10001은"),
        ("주문 10010이(가)", "주문 10010이"),
        ("주문 10004이(가)", "주문 10004가"),
        ("RF-7K2M9Q을(를)", "RF-7K2M9Q를"),
        ("RF-7K2M9L을(를)", "RF-7K2M9L을"),
        ("문의 번호을(를)", "문의 번호를"),
        ("환불금은(는)", "환불금은"),
    ],
)
def test_particles_follow_the_word_before(text: str, expected: str) -> None:
    assert fix_particles(text) == expected


def test_a_file_without_responses_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "responses.yml"
    bad.write_text("utter_greet: hi\n", encoding="utf-8")
    with pytest.raises(ValueError, match="responses"):
        load_responses(bad)
