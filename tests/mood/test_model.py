"""The shipped frustration model: it loads, reads upset wording as upset, and its plain-Python
n-grams are exactly the ones scikit-learn built when it was trained."""

from __future__ import annotations

import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from mood.model import FrustrationModel, char_wb_ngrams, word_ngrams

TEXTS = [
    "where is my order?",
    "I told you ALREADY, that's not what happens!!",
    "  it   still does not work -- order #10004  ",
    "Ünïcode café, naïve résumé: ok",
    "a",
    "",
]


@pytest.fixture(scope="module")
def model() -> FrustrationModel:
    """The weights file as shipped."""
    return FrustrationModel.load()


@pytest.mark.parametrize("text", TEXTS)
def test_ngrams_match_scikit_learn(text: str) -> None:
    words = TfidfVectorizer(ngram_range=(1, 2)).build_analyzer()
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5)).build_analyzer()
    assert word_ngrams(text, 1, 2) == words(text)
    assert char_wb_ngrams(text, 2, 5) == chars(text)


def test_upset_wording_scores_above_routine_wording(model: FrustrationModel) -> None:
    vader = SentimentIntensityAnalyzer()

    def probability(text: str) -> float:
        return model.probability(text, vader.polarity_scores(text))

    upset = [
        "you're not understanding me at all",
        "that is not what I asked, this is so disappointing",
        "this is ridiculous, the parcel is late again",
    ]
    routine = [
        "could you check where order 10004 is please",
        "thanks, have a lovely evening",
        "I'd like to return the blue jacket",
    ]
    assert min(map(probability, upset)) > max(map(probability, routine))
    assert all(0.0 < probability(text) < 1.0 for text in upset + routine)


def test_the_file_says_how_it_was_made(model: FrustrationModel) -> None:
    assert model.about["trained_by"] == "mood/training/train_frustration_model.py"
    assert model.about["dev_roc_auc"] >= 0.85
