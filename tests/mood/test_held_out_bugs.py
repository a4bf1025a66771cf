"""What a held-out run of the previous analyser got wrong (issue 11), one test per bug."""

from __future__ import annotations

import pytest

from mood.analyzer import TurnAnalyzer
from mood.settings import FrustrationSettings


@pytest.mark.parametrize("text", ["I'm doing fine, thanks", "I am doing a return for order 12345"])
def test_i_am_done_does_not_fire_on_doing(
    analyzer: TurnAnalyzer, settings: FrustrationSettings, text: str
) -> None:
    turn = analyzer.analyze(text)
    assert "escalation" not in turn.reasons
    assert settings.levels.level_of(turn.frustration) == "calm"


def test_i_am_done_with_you_still_fires(analyzer: TurnAnalyzer) -> None:
    assert "escalation" in analyzer.analyze("I'm done with you, cancel my account").reasons


def test_mildly_negative_ranks_above_neutral(analyzer: TurnAnalyzer) -> None:
    """No neutral band flattens both to 0: the ranking below the annoyed level is kept."""
    neutral = analyzer.analyze("could you check order 10004 for me")
    mild = analyzer.analyze("the tracking hasn't changed since Monday, bit of a shame")
    assert 0.0 < neutral.frustration < mild.frustration


@pytest.mark.parametrize(
    "text",
    [
        "Thanks, have a lovely evening!!!",
        "Great, I'm done here, thanks",
        "that's all, sorry for being a pain",
        "brilliant, THANK YOU SO MUCH!!!",
    ],
)
def test_grateful_closings_are_calm(
    analyzer: TurnAnalyzer, settings: FrustrationSettings, text: str
) -> None:
    assert settings.levels.level_of(analyzer.analyze(text).frustration) == "calm"


def test_sentiment_falls_as_the_customer_gets_angrier(analyzer: TurnAnalyzer) -> None:
    calm = analyzer.analyze("hello, is anyone there? I would like my money back")
    shouted = analyzer.analyze("HELLO??? IS ANYONE THERE!!! I want my money NOW")
    assert shouted.sentiment < 0
    assert shouted.sentiment < calm.sentiment
    assert shouted.frustration > calm.frustration


@pytest.mark.parametrize(
    "text",
    [
        "This is the third time I'm writing about order 10004",
        "I've written twice before and never got an answer",
        "I called you three times last week about this refund",
    ],
)
def test_claims_of_earlier_contact(analyzer: TurnAnalyzer, text: str) -> None:
    turn = analyzer.analyze(text)
    assert turn.claims_earlier_contact
    assert "repeat_contact_phrase" in turn.reasons


@pytest.mark.parametrize(
    "text", ["I ordered it twice by mistake", "this is my second time ordering from you"]
)
def test_counts_without_contact_are_no_claim(analyzer: TurnAnalyzer, text: str) -> None:
    assert not analyzer.analyze(text).claims_earlier_contact


def test_a_correction_is_a_reason(analyzer: TurnAnalyzer) -> None:
    assert "correction" in analyzer.analyze("No, I said the 2nd").reasons
    assert "correction" not in analyzer.analyze("sorry, I meant order 10008").reasons


@pytest.mark.parametrize("text", ["no", "nope", "No, thanks."])
def test_plain_answers_are_not_read_by_the_model(
    analyzer: TurnAnalyzer, settings: FrustrationSettings, text: str
) -> None:
    assert analyzer.analyze(text).frustration == 0.0
