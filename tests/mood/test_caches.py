"""The analyser caches per-word work (lemmas, swear words, n-gram features) to stay fast; a
message must still score the same whatever was scored before it."""

from __future__ import annotations

from evaluation.sentiment_eval import DEFAULT_LABELLED, read_labelled
from mood.analyzer import TurnAnalyzer, TurnScore
from mood.settings import FrustrationSettings

# Words the caches treat specially: masked and written-out swearing, auxiliaries written
# several ways, mark runs, capitals.
EXTRA = [
    "this is f***ing ridiculous",
    "That DIDNT help!!!",
    "that's not what I asked, it's the third time I'm writing",
    "I'm done here, thanks",
    "I am doing a return for order 12345",
    "WHERE IS MY REFUND???",
]


def test_a_message_scores_the_same_in_any_order_and_with_cold_caches(
    analyzer: TurnAnalyzer, settings: FrustrationSettings
) -> None:
    texts = EXTRA + [
        text for pairs in read_labelled(DEFAULT_LABELLED).values() for text, _ in pairs
    ]
    warm: list[TurnScore] = [analyzer.analyze(text) for text in reversed(texts)][::-1]
    fresh = TurnAnalyzer(settings)
    cold = [fresh.analyze(text) for text in texts]
    assert cold == warm
