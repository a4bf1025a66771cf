"""The analyser's VADER (mood/vader.py) gives vaderSentiment's scores, to the last bit."""

from __future__ import annotations

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from benchmarks.score_throughput import fresh_lines
from mood.vader import Vader

# Each rule that mood/vader.py reads from the lower-cased words: negation one, two and three
# words before (and first in the message), "never so/this", "without doubt", "no" before a word
# or as its own word, idioms before and after, boosters of one and two words, "kind of", "least",
# "but".
RULES = [
    "not good",
    "Not bad at all",
    "NOT good at all, really",
    "it isn't really good",
    "I don't think this is good",
    "aint nobody happy",
    "it wouldn't've been good",
    "nope, still broken",
    "never so good",
    "never this happy I think",
    "never so much good",
    "NEVER so GOOD",
    "it was this good",
    "without a doubt great",
    "without doubt great",
    "doubt without great",
    "the shit",
    "this is the shit",
    "that was the bomb, really good",
    "yeah right, good job",
    "yeah right",
    "good kiss of death",
    "a kiss of death for us",
    "it was a kiss of death",
    "this is to die for",
    "bad ass good",
    "my beating heart",
    "the bus stop was fine",
    "kind of good",
    "kind of",
    "it was kind",
    "KIND of great",
    "sort of kind of nice",
    "just enough good",
    "sort of good",
    "no good",
    "no",
    "no no",
    "good no",
    "no problem",
    "no no good at all",
    "no or nor bad",
    "no and nor bad",
    "at least good",
    "very least bad",
    "least good",
    "the least helpful answer",
    "ok but terrible",
    "but",
    "good but",
    "BUT it is good",
    "good but bad but fine",
    "GOOD but it is NOT great",
    "very good",
    "VERY good service",
    "VERY GOOD service",
    "ALL CAPS HERE GOOD",
    "extremely BAD and barely ok",
    "hardly helpful",
    "good",
    "good!",
    "good!!!!!!",
    "bad??",
    "bad???",
    "bad?????",
    "bad?!?!",
    "!!!",
    "?",
    "...",
    ":) thanks",
    ":( no",
    ":-( :D <3",
    "'good' -bad- ok!!",
    "",
    " ",
    "   \t\n  ",
    "\u00a0",
    "🙂",
    "🙂🙂",
    "hi🙂",
    "hi 🙂",
    "🙂hi",
    " 🙂 great 😡 awful 💔",
    "café was good, I’m not happy",
    "İSTANBUL GREAT",
    "ΣΟΦΟΣ good",
    "order 12345 please",
]


def _assert_same(ours: Vader, theirs: SentimentIntensityAnalyzer, text: str) -> None:
    """Same keys in the same order, same floats bit for bit (repr tells -0.0 from 0.0)."""
    assert repr(ours.polarity_scores(text)) == repr(theirs.polarity_scores(text)), text


@pytest.fixture(scope="module")
def analysers() -> tuple[Vader, SentimentIntensityAnalyzer]:
    """Ours and the library's, each loading the lexicons once."""
    return Vader(), SentimentIntensityAnalyzer()


def test_each_rule_scores_as_the_library(
    analysers: tuple[Vader, SentimentIntensityAnalyzer],
) -> None:
    for text in RULES:
        _assert_same(*analysers, text)


@pytest.mark.parametrize("seed", [11, 12, 13, 14])
def test_fresh_lines_score_as_the_library(
    analysers: tuple[Vader, SentimentIntensityAnalyzer], seed: int
) -> None:
    for text in fresh_lines(5000, seed=seed):
        _assert_same(*analysers, text)


def test_a_neutral_answer_is_the_callers_own(
    analysers: tuple[Vader, SentimentIntensityAnalyzer],
) -> None:
    ours, _ = analysers
    first = ours.polarity_scores("order 12345")
    first["neu"] = 0.0
    assert ours.polarity_scores("order 12345")["neu"] == 1.0
