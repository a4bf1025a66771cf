"""The analyser's VADER (mood/vader.py) gives vaderSentiment's scores, to the last digit."""

from __future__ import annotations

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from benchmarks.score_throughput import fresh_lines
from mood.vader import Vader

# Each rule of the checks that now read a window: negation one, two and three words before,
# "never so", "without doubt", idioms before and after, boosters of two words, "least", "but".
RULES = [
    "not good",
    "it isn't really good",
    "I don't think this is good",
    "never so good",
    "never this happy I think",
    "without a doubt great",
    "without doubt great",
    "the shit",
    "that was the bomb, really good",
    "yeah right, good job",
    "good kiss of death",
    "this is to die for",
    "kind of good",
    "sort of kind of nice",
    "no good",
    "no no good at all",
    "no or nor bad",
    "at least good",
    "very least bad",
    "least good",
    "ok but terrible",
    "GOOD but it is NOT great",
    "bad ass good",
    "good",
]


def test_scores_are_vader_sentiments_own() -> None:
    ours, theirs = Vader(), SentimentIntensityAnalyzer()
    for text in RULES + fresh_lines(3000, seed=11):
        assert ours.polarity_scores(text) == theirs.polarity_scores(text), text
