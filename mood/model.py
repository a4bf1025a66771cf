"""The message-level frustration model: exported logistic-regression weights, scored without
scikit-learn.

The model is trained offline on GoEmotions (`mood/training/`, see its README) to tell
{anger, annoyance, disappointment, disapproval, disgust} from every other emotion and neutral.
Frustrated customers mostly write disappointment and disapproval ("it STILL does not work",
"that is not what I asked"), which no cue list catches but word and character n-grams do.

Its features are what scikit-learn's TfidfVectorizer builds (word 1-2-grams, character 2-5-grams
inside word boundaries, sublinear tf, idf, each block L2-normalised) plus a few dense columns
(VADER's scores, shouting, runs of '!'/'?'). Scoring them here from a JSON file keeps
scikit-learn out of the action server: one message is scored in plain Python (a dict lookup per
n-gram, well under a tenth of a millisecond), a batch of `make score` lines with numpy, both with
the same arithmetic; the training script checks that this scorer and scikit-learn agree on
every dev message before it writes the file."""

from __future__ import annotations

import json
import math
import operator
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np

DEFAULT_WEIGHTS = Path(__file__).resolve().parent / "weights" / "frustration_model.json"
FORMAT = 1

# scikit-learn's default token pattern: words of two or more word characters.
_WORD = re.compile(r"(?u)\b\w\w+\b")
_LETTER_WORD = re.compile(r"[^\W\d_]{2,}")
_MARK_RUN = re.compile(r"[!?]+")

DENSE_FEATURES: tuple[str, ...] = (
    "vader_compound",
    "vader_negative",
    "vader_positive",
    "shouted_share",
    "mark_run",
    "length",
)
"""Columns beside the n-grams, in the order the weights file lists their coefficients."""


def dense_features(text: str, vader_scores: Mapping[str, float]) -> tuple[float, ...]:
    """The dense columns of a message, given VADER's `polarity_scores` of it.

    Shouting is the share of letters in all-capital words of two letters or more; the mark run
    is the longest run of '!'/'?' (3 or more counts as 3); length is characters / 200, at most 1.
    """
    words = _LETTER_WORD.findall(text)
    letters = sum(len(word) for word in words)
    shouted = sum(len(word) for word in words if word.isupper())
    run = max((len(match) for match in _MARK_RUN.findall(text)), default=0)
    return (
        vader_scores["compound"],
        vader_scores["neg"],
        vader_scores["pos"],
        shouted / letters if letters else 0.0,
        min(run, 3) / 3.0,
        min(len(text), 200) / 200.0,
    )


def word_ngrams(text: str, low: int, high: int) -> list[str]:
    """Word n-grams exactly as scikit-learn's word analyzer builds them (lower case)."""
    return grams_of(_WORD.findall(text.lower()), low, high)


def grams_of(tokens: Sequence[str], low: int, high: int) -> list[str]:
    """The word n-grams of tokens already split (see `word_ngrams`)."""
    grams = list(tokens) if low == 1 else []
    for n in range(max(low, 2), min(high, len(tokens)) + 1):
        grams += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    return grams


@dataclass(frozen=True)
class MessageWords:
    """A message split once for every model: scikit-learn's word tokens and the
    whitespace-separated words character n-grams are made in, all lower case."""

    tokens: tuple[str, ...]
    words: tuple[str, ...]
    _grams: dict[tuple[int, int], list[str]] = field(
        default_factory=dict, compare=False, repr=False
    )
    """Word n-grams by range, made once for the models that share a range."""

    @classmethod
    def of(cls, text: str) -> MessageWords:
        """The message's tokens and words."""
        lower = text.lower()
        return cls(tuple(_WORD.findall(lower)), tuple(lower.split()))

    def word_grams(self, low: int, high: int) -> list[str]:
        """`grams_of` the tokens, made once per range (the GoEmotions and the support model
        both read word 1-2-grams)."""
        found = self._grams.get((low, high))
        if found is None:
            found = self._grams[low, high] = grams_of(self.tokens, low, high)
        return found


def char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    """Character n-grams within words, as scikit-learn's "char_wb" analyzer makes them."""
    grams: list[str] = []
    for word in text.lower().split():
        padded = f" {word} "
        size = len(padded)
        for n in range(low, high + 1):
            if size <= n:  # a short word is counted once, whole
                grams.append(padded)
                break
            grams += [padded[i : i + n] for i in range(size - n + 1)]
    return grams


class NgramBlock:
    """One TF-IDF block: n-gram -> (idf, coefficient), L2-normalised over the present n-grams.

    Character n-grams never cross a word, so each word's known n-grams are cached (as feature
    indices): customers reuse the same few thousand words, so a message costs a few lookups.
    A batch of messages is then weighed at once with numpy (`scores`); each message's sums run
    over its own features in ascending order, so its score is the same in any batch.
    """

    CACHE_SIZE = 50_000

    def __init__(
        self,
        low: int,
        high: int,
        grams: Sequence[str],
        idf: Sequence[float],
        coef: Sequence[Sequence[float]],
    ) -> None:
        if any(len(row) != len(grams) for row in coef) or len(idf) != len(grams):
            raise ValueError("the weights file's n-gram, idf and coefficient lists differ")
        self.low = low
        self.high = high
        self._index = {gram: i for i, gram in enumerate(grams)}
        self._idf = np.asarray(idf, dtype=np.float64)
        self._weighted = self._idf * np.asarray(coef, dtype=np.float64).reshape(-1, len(grams))
        self._idf_list: list[float] = self._idf.tolist()
        self._squared_idf: list[float] = (self._idf * self._idf).tolist()
        self._weighted_lists: list[list[float]] = self._weighted.tolist()
        self._tf: list[float] = []
        self._known_in_word: dict[str, tuple[int, ...]] = {}

    def known(self, grams: Iterable[str]) -> list[int]:
        """Feature indices of the n-grams the block knows, repeats kept."""
        found = map(self._index.get, grams)
        return [feature for feature in found if feature is not None]

    def known_in_word(self, word: str) -> tuple[int, ...]:
        """Feature indices of one lower-case word's character n-grams (cached)."""
        known = self._known_in_word.get(word)
        if known is None:
            if len(self._known_in_word) >= self.CACHE_SIZE:
                self._known_in_word.clear()
            known = tuple(self.known(char_wb_ngrams(word, self.low, self.high)))
            self._known_in_word[word] = known
        return known

    def known_in_words(self, words: Iterable[str]) -> list[int]:
        """Feature indices of the character n-grams of every word, repeats kept."""
        found: list[int] = []
        for word in words:
            found += self.known_in_word(word)
        return found

    def scores(self, rows: Sequence[Sequence[int]]) -> list[list[float]]:
        """This block's share of each output's decision value, per message, given each
        message's known features: sublinear tf times idf, L2-normalised, dot the coefficients.

        A large batch is weighed with numpy, a message or a few in plain Python, where numpy's
        fixed cost per call would double a message's time. Both add the same products in the
        same order (each message's features in ascending order, one at a time from 0.0), so a
        message scores exactly the same either way (tests/mood/test_batches.py). Ascending
        order is what one sort of the batch's (message, feature) keys gives at once."""
        if len(rows) < NUMPY_FROM:
            return [self._score(row) for row in rows]
        size = len(self._idf)
        lengths = [len(row) for row in rows]
        # 32-bit keys sort about twice as fast; a batch of `make score` fits them easily.
        kind = np.int32 if len(rows) * size < 2**31 else np.int64
        flat = np.fromiter(chain.from_iterable(rows), dtype=kind, count=sum(lengths))
        starts: np.ndarray[Any, Any] = np.arange(0, len(rows) * size, size, dtype=kind)
        keys = np.repeat(starts, lengths) + flat
        keys, counts = np.unique(keys, return_counts=True)
        message, feature = np.divmod(keys, size)
        tf = np.array(self._tf_of(int(counts.max(initial=0))))[counts]
        weights = tf * self._idf[feature]
        norm = np.sqrt(np.bincount(message, weights=weights * weights, minlength=len(rows)))
        norm[norm == 0.0] = 1.0  # no known n-gram: every dot is 0 too
        dots = [
            np.bincount(message, weights=tf * row[feature], minlength=len(rows))
            for row in self._weighted
        ]
        found: list[list[float]] = (np.array(dots).reshape(len(dots), -1) / norm).T.tolist()
        return found

    def _score(self, row: Sequence[int]) -> list[float]:
        """`scores` of one message in plain Python, with numpy's arithmetic: products summed
        one by one from 0 in ascending feature order (`sum` of floats does so up to Python
        3.11; a later Python would fail the test that compares both ways)."""
        if len(set(row)) == len(row):  # every tf is 1, and 1.0 * x is x: no products needed
            features = sorted(row)
            norm = math.sqrt(sum(map(self._squared_idf.__getitem__, features))) or 1.0
            return [sum(map(coef.__getitem__, features)) / norm for coef in self._weighted_lists]
        counts = Counter(row)
        features = sorted(counts)
        tf_of = self._tf_of(max(counts.values()))
        tfs = [tf_of[counts[feature]] for feature in features]
        weights = list(map(operator.mul, tfs, map(self._idf_list.__getitem__, features)))
        norm = math.sqrt(sum(map(operator.mul, weights, weights)))
        return [
            sum(map(operator.mul, tfs, map(coef.__getitem__, features))) / norm
            for coef in self._weighted_lists
        ]

    def _tf_of(self, most: int) -> list[float]:
        """1 + log(count) (scikit-learn's sublinear tf) for counts 0..most at least."""
        if most >= len(self._tf):
            self._tf = [0.0] + [1.0 + math.log(count) for count in range(1, 2 * most + 1)]
        return self._tf


NUMPY_FROM = 16
"""Batches of this many messages or more are weighed with numpy."""


class LinearTextModel:
    """A linear model over the two n-gram blocks and dense columns, with one or more outputs
    (one: a binary logistic regression; several: a multinomial one). Load once per process."""

    def __init__(self, raw: Mapping[str, Any], dense_names: Sequence[str]) -> None:
        if raw.get("format") != FORMAT:
            raise ValueError(f"unknown weights format {raw.get('format')!r}, expected {FORMAT}")
        self.words = _block(raw["word"]) if "word" in raw else None
        self.chars = _block(raw["char"])
        if tuple(raw["dense"]["names"]) != tuple(dense_names):
            raise ValueError("the weights file's dense columns differ from this scorer's")
        self.dense: list[list[float]] = raw["dense"]["coef"]
        self.intercepts: list[float] = raw["intercept"]
        self.classes: list[str] = raw.get("classes", [])
        self.about: Mapping[str, Any] = raw.get("about", {})

    def decision_rows(
        self, messages: Sequence[MessageWords], columns: Sequence[Sequence[float]]
    ) -> list[list[float]]:
        """Each message's decision value per output, given its dense columns."""
        words, chars = self.words, self.chars
        if words is None:  # a character-only model: the word block adds nothing
            by_words = [[0.0] * len(self.intercepts) for _ in messages]
        else:
            by_words = words.scores(
                [words.known(m.word_grams(words.low, words.high)) for m in messages]
            )
        by_chars = chars.scores([chars.known_in_words(m.words) for m in messages])
        found = []
        for w_row, c_row, dense in zip(by_words, by_chars, columns, strict=True):
            values = []
            for bias, w, c, coef in zip(self.intercepts, w_row, c_row, self.dense, strict=True):
                total = bias + w + c
                for k, column in zip(coef, dense, strict=True):
                    total += k * column
                values.append(total)
            found.append(values)
        return found

    def decisions(self, text: str, columns: Sequence[float]) -> list[float]:
        """The model's decision value per output for one message and its dense columns."""
        return self.decision_rows([MessageWords.of(text)], [columns])[0]


def read_weights(path: Path) -> dict[str, Any]:
    """A weights file's content (JSON written by a script in mood/training/)."""
    raw: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return raw


class FrustrationModel(LinearTextModel):
    """Probability that a message reads as anger, annoyance, disappointment, disapproval or
    disgust (GoEmotions). Load once per process (a few hundred ms); scoring is then cheap."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        super().__init__(raw, DENSE_FEATURES)

    @classmethod
    def load(cls, path: Path = DEFAULT_WEIGHTS) -> FrustrationModel:
        """Reads the file written by `mood/training/train_frustration_model.py`."""
        return cls(read_weights(path))

    def decision(self, text: str, vader_scores: Mapping[str, float]) -> float:
        """The logistic regression's log-odds for the message."""
        return self.log_odds([text], [MessageWords.of(text)], [vader_scores])[0]

    def log_odds(
        self,
        texts: Sequence[str],
        messages: Sequence[MessageWords],
        vader_scores: Sequence[Mapping[str, float]],
    ) -> list[float]:
        """The log-odds of each message of a batch (its words split by `MessageWords.of`)."""
        columns = [dense_features(t, s) for t, s in zip(texts, vader_scores, strict=True)]
        return [values[0] for values in self.decision_rows(messages, columns)]

    def probability(self, text: str, vader_scores: Mapping[str, float]) -> float:
        """The model's probability in (0, 1) that the message reads upset."""
        return 1.0 / (1.0 + math.exp(-self.decision(text, vader_scores)))


def _block(raw: Mapping[str, Any]) -> NgramBlock:
    low, high = raw["ngram_range"]
    return NgramBlock(low, high, raw["ngrams"], raw["idf"], raw["coef"])


SUPPORT_DENSE_FEATURES: tuple[str, ...] = ("goemotions_log_odds", "vader_compound")
"""Dense columns of the support-chat model: the GoEmotions model's log-odds and VADER."""


class SupportModel(LinearTextModel):
    """How upset a support-chat message reads: calm, annoyed or frustrated (a multinomial
    regression trained on the project's own labelled messages, on top of the GoEmotions model,
    which tells negative from not but not how strongly)."""

    @classmethod
    def load(cls, path: Path) -> SupportModel:
        """Reads the file written by `mood/training/train_support_model.py`."""
        return cls(read_weights(path), SUPPORT_DENSE_FEATURES)

    def probabilities(self, text: str, log_odds: float, compound: float) -> dict[str, float]:
        """Class -> probability, given the GoEmotions log-odds and VADER's compound."""
        return self.batch_probabilities([MessageWords.of(text)], [(log_odds, compound)])[0]

    def batch_probabilities(
        self, messages: Sequence[MessageWords], columns: Sequence[tuple[float, float]]
    ) -> list[dict[str, float]]:
        """`probabilities` of each message of a batch, given (log-odds, compound) of each."""
        found = []
        for values in self.decision_rows(messages, columns):
            top = max(values)
            exps = [math.exp(value - top) for value in values]
            total = sum(exps)
            found.append({name: e / total for name, e in zip(self.classes, exps, strict=True)})
        return found


KOREAN_WEIGHTS = Path(__file__).resolve().parent / "weights" / "korean_model.json"


class KoreanMoodModel(LinearTextModel):
    """Probability that a Korean message reads as a complaint with anger or annoyance (a
    logistic regression trained on KOTE, `mood/training/train_korean_model.py`): word and
    character n-grams only, no dense columns (VADER reads no Hangul)."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        super().__init__(raw, ())

    @classmethod
    def load(cls, path: Path = KOREAN_WEIGHTS) -> KoreanMoodModel:
        """Reads the file written by the training script."""
        return cls(read_weights(path))

    def decision(self, text: str) -> float:
        """The regression's log-odds for the message."""
        return self.decisions(text, ())[0]

    def probability(self, text: str) -> float:
        """The probability in (0, 1) that the message reads as an angry complaint."""
        return 1.0 / (1.0 + math.exp(-self.decision(text)))


KOREAN_SUPPORT_WEIGHTS = Path(__file__).resolve().parent / "weights" / "korean_support_model.json"
KOREAN_SUPPORT_DENSE_FEATURES: tuple[str, ...] = ("kote_log_odds",)
"""Dense column of the Korean support-chat model: the KOTE model's log-odds."""


class KoreanSupportModel(LinearTextModel):
    """Probability that a Korean support-chat message reads annoyed or frustrated rather than
    calm (`mood/training/train_korean_support_model.py`): a logistic regression on the
    project's own labelled Korean support turns, over character n-grams and the KOTE model's
    log-odds. KOTE comments on news and videos rank anger well but know nothing of support
    chats: on them its log-odds alone ranked not-calm turns at a cross-validated AUC of 0.70."""

    def __init__(self, raw: Mapping[str, Any], kote: KoreanMoodModel) -> None:
        super().__init__(raw, KOREAN_SUPPORT_DENSE_FEATURES)
        self.kote = kote

    @classmethod
    def load(
        cls, path: Path = KOREAN_SUPPORT_WEIGHTS, kote: KoreanMoodModel | None = None
    ) -> KoreanSupportModel:
        """Reads the file written by the training script, on top of the KOTE model."""
        return cls(read_weights(path), kote or KoreanMoodModel.load())

    def decision(self, text: str) -> float:
        """The regression's log-odds for the message."""
        return self.decisions(text, (self.kote.decision(text),))[0]

    def probability(self, text: str) -> float:
        """The probability in (0, 1) that the message reads annoyed or frustrated."""
        return 1.0 / (1.0 + math.exp(-self.decision(text)))
