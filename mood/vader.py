"""VADER as vaderSentiment computes it, with two of its per-word checks given only the words
they read.

For each sentiment word, vaderSentiment's negation and idiom checks lower-case the whole
message again (up to four times per word) though they read at most three words before and two
after it; that was a third of VADER's time. Here they get that window, so every score is the
library's own (tests/mood/test_vader.py compares them on a few thousand fresh lines).
"""

from __future__ import annotations

from collections.abc import Sequence

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

_BEFORE = 3
"""Words before the sentiment word that the checks read."""
_AFTER = 2
"""Words after it that the idiom check reads."""


class Vader(SentimentIntensityAnalyzer):
    """`polarity_scores` exactly as vaderSentiment's, with less work per sentiment word."""

    def _negation_check(
        self, valence: float, words_and_emoticons: Sequence[str], start_i: int, i: int
    ) -> float:
        start = max(0, i - _BEFORE)
        window = words_and_emoticons[start : i + 1]
        return super()._negation_check(valence, window, start_i, i - start)  # type: ignore[no-any-return]

    def _special_idioms_check(
        self, valence: float, words_and_emoticons: Sequence[str], i: int
    ) -> float:
        # Only called for a word with three before it (vaderSentiment's start_i == 2).
        start = i - _BEFORE
        window = words_and_emoticons[start : i + _AFTER + 1]
        return super()._special_idioms_check(valence, window, _BEFORE)  # type: ignore[no-any-return]
