"""VADER as vaderSentiment computes it, with less work per message.

vaderSentiment's `polarity_scores` rebuilds the message one character at a time to describe
emojis, calls `sentiment_valence` for every word though only the words of its lexicon get a
valence, and lower-cases the whole message again in its negation, idiom and "but" checks (up to
four times per sentiment word) though they read at most three words before and two after it;
its `negated` walks its list of sixty negations for each word it asks about. Here each message
is lower-cased once, only the lexicon's words are scored, on that lower-cased list, and a message
with none of them gets the library's own neutral answer at once. The rules, constants, helper
functions and the final scoring (`score_valence`, `_but_check`) are still the library's, so
every score is its own to the last bit (tests/mood/test_vader.py compares them on 20,000 fresh
lines and each rule).
"""

from __future__ import annotations

import re
import string
import sys
from collections.abc import Sequence

from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    C_INCR,
    N_SCALAR,
    NEGATE,
    SPECIAL_CASES,
    SentimentIntensityAnalyzer,
    allcap_differential,
    scalar_inc_dec,
)

_NEGATIONS = frozenset(NEGATE)
"""vaderSentiment's `negated` on one lower-cased word is membership here (or "n't" in it)."""
_IDIOM_WORDS = frozenset(
    word for phrase in (*SPECIAL_CASES, *BOOSTER_DICT) if " " in phrase for word in phrase.split()
)
"""Words of the idioms and two-word boosters: the idiom check can only match if one is near."""
_DAMPING = (1.0, 0.95, 0.9)
"""How much of a booster one, two and three words before the sentiment word counts."""
_SO_THIS = ("so", "this")


def _words(text: str) -> list[str]:
    """SentiText's words: punctuation stripped from both ends unless two characters or fewer
    are left (an emoticon), without a method call per word."""
    return [
        stripped if len(stripped := token.strip(string.punctuation)) > 2 else token
        for token in text.split()
    ]


def _negated(word: str) -> bool:
    """vaderSentiment's `negated([word])` for a word already lower-cased (lower() is
    idempotent), as a set look-up instead of a walk over its negation list."""
    return word in _NEGATIONS or "n't" in word


def _negation(valence: float, lowers: Sequence[str], start_i: int, i: int) -> float:
    """vaderSentiment's `_negation_check`, read from the message's lower-cased words."""
    if start_i == 1:
        if lowers[i - 2] == "never" and lowers[i - 1] in _SO_THIS:
            return valence * 1.25
        if lowers[i - 2] == "without" and lowers[i - 1] == "doubt":
            return valence
    elif start_i == 2:
        # The library's own precedence: "so"/"this" just before the word counts without "never".
        if (lowers[i - 3] == "never" and lowers[i - 2] in _SO_THIS) or lowers[i - 1] in _SO_THIS:
            return valence * 1.25
        if lowers[i - 3] == "without" and "doubt" in (lowers[i - 2], lowers[i - 1]):
            return valence
    return valence * N_SCALAR if _negated(lowers[i - start_i - 1]) else valence


def _after_no(lowers: Sequence[str], i: int) -> bool:
    """Whether "no" one or two words before (or three, then "or"/"nor") negates word i."""
    return (
        (i > 0 and lowers[i - 1] == "no")
        or (i > 1 and lowers[i - 2] == "no")
        or (i > 2 and lowers[i - 3] == "no" and lowers[i - 1] in ("or", "nor"))
    )


def _is_modifier(lowers: Sequence[str], i: int) -> bool:
    """Whether word i is a booster or the "kind" of "kind of", which the library scores 0."""
    return lowers[i] in BOOSTER_DICT or (lowers[i] == "kind" and lowers[i + 1 : i + 2] == ["of"])


class Vader(SentimentIntensityAnalyzer):
    """`polarity_scores` exactly as vaderSentiment's, with less work per message."""

    def __init__(self) -> None:
        super().__init__()
        # The library reads the text one character at a time, so only one-character keys ever
        # match; one range from the lowest of them spares a look-up for every ASCII character.
        lowest = min(key for key in self.emojis if len(key) == 1)
        self._emoji_range = re.compile(f"[{re.escape(lowest)}-{chr(sys.maxunicode)}]")
        # With every sentiment 0 the library's answer depends only on whether there were words.
        self._neutral: dict[str, float] = self.score_valence([0], "")
        self._empty: dict[str, float] = self.score_valence([], "")

    def polarity_scores(self, text: str) -> dict[str, float]:
        """The library's scores; only lexicon words (not boosters, not "kind" of "kind of")
        get a valence, every other word counts as its 0."""
        text = self._describe_emojis(text).strip()
        words = _words(text)
        lowers = [word.lower() for word in words]
        lexicon = self.lexicon
        scored = [
            i for i, low in enumerate(lowers) if low in lexicon and not _is_modifier(lowers, i)
        ]
        if not scored:
            return dict(self._neutral if words else self._empty)
        is_cap_diff = allcap_differential(words)
        sentiments: list[float] = [0] * len(words)
        for i in scored:
            sentiments[i] = self._valence(words, lowers, i, is_cap_diff)
        if "but" in lowers:
            sentiments = self._but_check(words, sentiments)
        scores: dict[str, float] = self.score_valence(sentiments, text)
        return scores

    def _describe_emojis(self, text: str) -> str:
        """The library's emoji step: each emoji becomes its description, after a space unless
        it starts the text or follows a space."""

        def described(match: re.Match[str]) -> str:
            char = match.group()
            description: str | None = self.emojis.get(char)
            if description is None:
                return char
            at = match.start()
            return " " + description if at and text[at - 1] != " " else description

        return self._emoji_range.sub(described, text)

    def _valence(
        self, words: Sequence[str], lowers: Sequence[str], i: int, is_cap_diff: bool
    ) -> float:
        """vaderSentiment's `sentiment_valence` for the lexicon word at i."""
        lexicon = self.lexicon
        valence: float = lexicon[lowers[i]]
        if lowers[i] == "no" and i != len(words) - 1 and lowers[i + 1] in lexicon:
            valence = 0.0
        if _after_no(lowers, i):
            valence = lexicon[lowers[i]] * N_SCALAR
        if words[i].isupper() and is_cap_diff:
            valence = valence + C_INCR if valence > 0 else valence - C_INCR
        for start_i in range(min(i, 3)):
            before = i - start_i - 1
            if lowers[before] in lexicon:
                continue
            # scalar_inc_dec is 0.0 for any other word; adding it still turns -0.0 into 0.0.
            boost = (
                scalar_inc_dec(words[before], valence, is_cap_diff)
                if lowers[before] in BOOSTER_DICT
                else 0.0
            )
            valence = valence + boost * _DAMPING[start_i]
            valence = _negation(valence, lowers, start_i, i)
            if start_i == 2 and not _IDIOM_WORDS.isdisjoint(lowers[i - 3 : i + 3]):
                valence = self._special_idioms_check(valence, words[i - 3 : i + 3], 3)
        if i > 0 and lowers[i - 1] == "least":
            valence = self._least_check(valence, words, i)
        return valence
