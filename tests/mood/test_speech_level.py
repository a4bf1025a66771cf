"""The switch from 존댓말 to 반말 (mood/speech_level.py) as a dialogue cue: the level of a
message, the switch read from the customer's own earlier lines, and the cue it adds through
the real analyser and the Korean reading.

Sentences written for this test, not taken from evaluation/data/ko_mood_test.yml.
"""

from __future__ import annotations

import pytest

from mood.analyzer import DialogueSignals, TurnAnalyzer
from mood.dialogue import BOT, USER, Line
from mood.korean import with_korean_cues
from mood.settings import FrustrationSettings
from mood.speech_level import SpeechLevel, speech_level, switched_to_banmal

POLITE_START = [
    Line(USER, "주문한 가방 배송 언제쯤 되나요?"),
    Line(BOT, "주문번호를 알려 주세요."),
    Line(USER, "10003이에요"),
    Line(BOT, "주문 10003은 배송이 지연되고 있어요. 새 도착 예정일은 12월 8일이에요."),
]
CASUAL_START = [
    Line(USER, "가방 언제 와"),
    Line(BOT, "주문번호를 알려 주세요."),
    Line(USER, "10003"),
    Line(BOT, "주문 10003은 배송이 지연되고 있어요."),
]


@pytest.mark.parametrize(
    "text",
    [
        "배송 언제 와요?",
        "환불 요청 드립니다",
        "취소 가능한가요",
        "주소 바꿔 주세요 ㅠㅠ",
        "확인해 주시겠어요? 10003이요",
        "그럼 언제 오는 거죠",
        "아 그렇군요. 감사합니다!",
    ],
)
def test_polite_endings(text: str) -> None:
    assert speech_level(text) is SpeechLevel.POLITE


@pytest.mark.parametrize(
    "text",
    [
        "그래서 언제 오냐고",
        "환불해줘",
        "아니 왜 아직도 안 와",
        "그냥 취소해 ㅡㅡ",
        "이거 어떻게 된 거야?",
        "몇 번을 말해야 알아듣지",
        "벌써 일주일 지났다",
        "됐고 환불이나 해줘",
    ],
)
def test_banmal_endings(text: str) -> None:
    assert speech_level(text) is SpeechLevel.CASUAL


@pytest.mark.parametrize(
    "text",
    [
        "네",
        "ㅇㅇ",
        "응",
        "됐어",
        "10003",
        "환불 요청",
        "주문번호 10003",
        "배송지 변경",
        "장바구니 메시지",
        "고마워 진짜",
        "알겠어 그럼 기다릴게",
        "ㅇㅇ 취소해줘",
        "ok thanks",
    ],
)
def test_short_words_fragments_and_friendly_banmal_have_no_level(text: str) -> None:
    assert speech_level(text) is None


def test_the_switch_fires_after_polite_messages() -> None:
    assert switched_to_banmal(POLITE_START, "그래서 언제 오냐고")
    assert switched_to_banmal(POLITE_START, "아니 왜 아직도 안 와")


@pytest.mark.parametrize("text", ["네", "ㅇㅇ", "됐어", "10003", "환불 요청", "언제 와요?"])
def test_no_switch_for_short_words_fragments_or_polite_text(text: str) -> None:
    assert not switched_to_banmal(POLITE_START, text)


def test_no_switch_for_a_customer_writing_banmal_from_the_start() -> None:
    assert not switched_to_banmal(CASUAL_START, "그래서 언제 오냐고")


def test_the_switch_fires_once() -> None:
    switched = [*POLITE_START, Line(USER, "그래서 언제 오냐고"), Line(BOT, "죄송해요.")]
    assert not switched_to_banmal(switched, "아니 왜 아직도 안 와")


def test_only_the_customers_lines_count() -> None:
    """The assistant's own polite lines are not the customer's register."""
    bot_only = [Line(BOT, "안녕하세요! 무엇을 도와드릴까요?")]
    assert not switched_to_banmal(bot_only, "택배 언제 와")


def test_the_switch_is_a_named_cue_of_the_korean_reading(
    analyzer: TurnAnalyzer, settings: FrustrationSettings
) -> None:
    text = "그럼 10003 환불해줘"
    signals = DialogueSignals.of(POLITE_START, text)
    assert signals.banmal_switch
    switched = with_korean_cues(analyzer.analyze(text, signals), text, settings)
    alone = with_korean_cues(analyzer.analyze(text), text, settings)
    assert "banmal_switch" in switched.reasons and "banmal_switch" not in alone.reasons
    # The words are stretched to the Korean cut points; the switch keeps its own weight on top.
    kept = 1.0 - settings.weights["banmal_switch"]
    assert switched.frustration == pytest.approx(1.0 - (1.0 - alone.frustration) * kept)
    assert settings.levels.level_of(switched.frustration) != "calm"
