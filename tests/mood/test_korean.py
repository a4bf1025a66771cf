"""Korean mood cues (mood/korean.py, config/mood_ko.yml) on top of the real analyser.

Sentences written for this test, not taken from evaluation/data/ko_mood_test.yml.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from mood.analyzer import TurnAnalyzer
from mood.korean import (
    PROJECT_ROOT,
    korean_reading,
    load_korean_cues,
    load_korean_reading,
    with_korean_cues,
)
from mood.model import KoreanSupportModel
from mood.settings import FrustrationSettings


def level(analyzer: TurnAnalyzer, settings: FrustrationSettings, text: str) -> str:
    """The message's own level with the Korean cues."""
    turn = with_korean_cues(analyzer.analyze(text), text, settings)
    return settings.levels.level_of(turn.frustration)


@pytest.mark.parametrize(
    "text",
    [
        "아 ㅆㅂ 환불 언제 해주는데",
        "시 발 택배 왜 안 와",
        "ㅂㅅ같은 챗봇",
        "씨** 진짜 뭐하자는 건지",
        "이런 식이면 공정위에 신고하겠습니다",
        "별점 테러 각오하세요",
    ],
)
def test_swearing_and_threats_read_frustrated(
    analyzer: TurnAnalyzer, settings: FrustrationSettings, text: str
) -> None:
    assert level(analyzer, settings, text) == "frustrated"


@pytest.mark.parametrize(
    "text",
    [
        "배송 조회 좀 부탁드려요 10001",
        "택배가 아직 안 와서 걱정이에요 ㅠㅠ",
        "배송 시 발생한 파손도 환불되나요?",
        "분실신고 하고 싶어요",
        "다음에 또 문의할게요 감사합니다",
        "고소한 견과류 세트 주문했는데 언제 와요?",
        "전화나 문자로 알려 주세요",
    ],
)
def test_calm_korean_stays_calm(
    analyzer: TurnAnalyzer, settings: FrustrationSettings, text: str
) -> None:
    assert level(analyzer, settings, text) == "calm"


def test_annoyance_marks_and_waiting_read_annoyed(
    analyzer: TurnAnalyzer, settings: FrustrationSettings
) -> None:
    assert level(analyzer, settings, "배송 언제 시작돼요 ㅡㅡ") != "calm"
    assert level(analyzer, settings, "벌써 며칠째 기다리는 중이에요") != "calm"


def test_earlier_contact_is_claimed(analyzer: TurnAnalyzer, settings: FrustrationSettings) -> None:
    for text in ("이거 몇 번째 문의인지 모르겠네요", "지난번에도 연락드렸는데 답이 없어요"):
        turn = with_korean_cues(analyzer.analyze(text), text, settings)
        assert turn.claims_earlier_contact and "repeat_contact_phrase" in turn.reasons
    plan = "나중에 다시 물어볼게요"
    assert not with_korean_cues(analyzer.analyze(plan), plan, settings).claims_earlier_contact


def test_english_messages_are_untouched(
    analyzer: TurnAnalyzer, settings: FrustrationSettings
) -> None:
    turn = analyzer.analyze("where is my parcel")
    assert with_korean_cues(turn, "where is my parcel", settings) is turn


def test_unknown_cue_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "mood_ko.yml"
    path.write_text(
        "cues:\n  anger:\n    strength: 1\n    phrases: [x]\n"
        "earlier_contact_claims: {counts: a, contact_words: b, within: 1}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="unknown cue"):
        load_korean_cues(path)


def test_the_kote_model_reads_angry_wording_no_cue_names(
    analyzer: TurnAnalyzer, settings: FrustrationSettings
) -> None:
    """Wording none of config/mood_ko.yml's lists holds still reads upset through the model;
    a calm question does not."""
    reading = korean_reading()
    assert reading.model is not None
    angry, calm = "도대체 일을 왜 이따위로 하는 건지 이해가 안 갑니다", "선물 포장도 같이 되나요?"
    assert reading.model.strength(angry) > reading.model.strength(calm)
    cues_only = replace(reading, model=None)
    for text in (angry, calm):
        turn = analyzer.analyze(text)
        alone = with_korean_cues(turn, text, settings, cues_only).frustration
        assert with_korean_cues(turn, text, settings, reading).frustration >= alone
    assert level(analyzer, settings, calm) == "calm"


def test_the_support_model_reads_support_wording_over_kote(
    analyzer: TurnAnalyzer, settings: FrustrationSettings
) -> None:
    """Probes written for this test, none in the training turns: calm requests with words that
    sound negative (환불, 취소, 파손) stay calm, and displeasure said in support wording with no
    cue word reads more upset to the support model than to the KOTE model beneath it."""
    reading = korean_reading()
    assert reading.model is not None
    support = reading.model.model
    assert isinstance(support, KoreanSupportModel)
    for calm in (
        "파손된 거 교환되나요?",
        "결제 취소 부탁드려요 10005번",
        "환불 계좌 바꿀 수 있어요?",
    ):
        assert level(analyzer, settings, calm) == "calm", calm
    upset = "안내해 주신 날짜에 결국 안 왔네요"
    assert support.probability(upset) > support.kote.probability(upset)
    assert level(analyzer, settings, upset) != "calm"


def test_a_model_start_outside_zero_to_one_is_refused(tmp_path: Path) -> None:
    text = (PROJECT_ROOT / "config" / "mood_ko.yml").read_text(encoding="utf-8")
    path = tmp_path / "mood_ko.yml"
    path.write_text(text.replace("from: ", "from: 1.5 #"), encoding="utf-8")
    with pytest.raises(ValueError, match="model.from"):
        load_korean_reading(path)
