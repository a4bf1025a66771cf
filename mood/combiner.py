"""The learned combination of a message's parts into its frustration score, scored without
scikit-learn.

One score over the parts only traded sets: weighting the GoEmotions model more ranked Reddit
comments better and support-chat turns worse (mood/training/README.md). The combiner therefore
first reads what kind of text a message is: a gate (a character n-gram regression trained to
tell the project's support-chat turns from GoEmotions comments) weighs two small logistic
regressions over the parts, one fitted on the labelled support-chat turns (the support model
and the text cues; the GoEmotions model's and VADER's weights are 0 there, the support model
reads both), one on GoEmotions comments:

    score = w * (P(upset) + P(frustrated)) / 2 + (1 - w) * P(GoEmotions negative)
    w = sigmoid(logit(gate) - gate_bias)

Its inputs are the parts `TurnAnalyzer` already reads (the GoEmotions model's log-odds, the
support model's log-odds of annoyed and frustrated against calm, VADER's compound and each
text cue's strength), so the cue names stay the reasons an agent reads. Trained and checked
against scikit-learn by mood/training/train_combiner.py; the JSON holds only coefficients and
the gate's n-grams. `TurnAnalyzer` adds the text cues' configured mix on top of this score.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from contract.slots import ANNOYED, CALM, FRUSTRATED
from mood.model import FORMAT, LinearTextModel, MessageWords, read_weights

DEFAULT_COMBINER = Path(__file__).resolve().parent / "weights" / "combiner.json"
TEXT_CUES: tuple[str, ...] = (
    "capitals",
    "exclamations",
    "profanity",
    "repeat_contact_phrase",
    "sarcasm",
    "impatience",
    "escalation",
    "rejected_answer",
    "correction",
)
"""The cues read from the text alone (the dialogue's cues are added after, mood/analyzer.py):
a fixed part of `mood.settings.CUES` in the order of the weights file's inputs (`features`
there), so a cue added to the configuration is no input until the combiner is retrained."""
FEATURES: tuple[str, ...] = (
    "goemotions_log_odds",
    "support_annoyed_log_odds",
    "support_frustrated_log_odds",
    "compound",
    *TEXT_CUES,
)
"""The combiner's inputs, in the order of the weights file's coefficients."""
_FLOOR = 1e-4
"""Probabilities are read at least this large, so a log-odds stays finite."""


def features(
    goemotions: float | None,
    upset: Mapping[str, float],
    compound: float,
    strengths: Mapping[str, float],
) -> list[float]:
    """The combiner's inputs of one message: `goemotions` is the GoEmotions model's
    probability and `upset` the support model's class probabilities, None and empty for a
    plain answer the models do not score (their log-odds then count 0)."""
    if goemotions is None or not upset:
        modelled = [0.0, 0.0, 0.0]
    else:
        calm = max(upset[CALM], _FLOOR)
        modelled = [
            _logit(goemotions),
            math.log(max(upset[ANNOYED], _FLOOR) / calm),
            math.log(max(upset[FRUSTRATED], _FLOOR) / calm),
        ]
    return [*modelled, compound, *(strengths[cue] for cue in TEXT_CUES)]


def _logit(probability: float) -> float:
    clipped = min(max(probability, _FLOOR), 1.0 - _FLOOR)
    return math.log(clipped / (1.0 - clipped))


def _sigmoid(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-value))


class _Linear:
    """One binary logistic regression over `FEATURES`."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.coef: list[float] = list(raw["coef"])
        self.intercept = float(raw["intercept"])
        if len(self.coef) != len(FEATURES):
            raise ValueError("the combiner file's coefficients differ from its features")

    def probability(self, row: Sequence[float]) -> float:
        total = self.intercept
        for k, value in zip(self.coef, row, strict=True):
            total += k * value
        return _sigmoid(total)


class Combiner:
    """The gate and the two regressions of the weights file. Load once per process."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        if raw.get("format") != FORMAT or tuple(raw.get("features", ())) != FEATURES:
            raise ValueError("the combiner file's format or features differ from this scorer's")
        self.gate = LinearTextModel(raw["gate"], ())
        self.gate_bias = float(raw["gate_bias"])
        self.upset = _Linear(raw["support_chat"]["upset"])
        self.frustrated = _Linear(raw["support_chat"]["frustrated"])
        self.other = _Linear(raw["other_text"]["upset"])
        self.about: Mapping[str, Any] = raw.get("about", {})

    @classmethod
    def load(cls, path: Path = DEFAULT_COMBINER) -> Combiner:
        """Reads the file written by `mood/training/train_combiner.py`."""
        return cls(read_weights(path))

    def gates(self, messages: Sequence[MessageWords]) -> list[float]:
        """Each message's probability of reading like a support-chat turn."""
        return [
            _sigmoid(values[0])
            for values in self.gate.decision_rows(messages, [()] * len(messages))
        ]

    def score(self, row: Sequence[float], gate: float) -> float:
        """The message's score in (0, 1) from its `features` and its gate probability."""
        weight = _sigmoid(_logit(gate) - self.gate_bias)
        chat = (self.upset.probability(row) + self.frustrated.probability(row)) / 2.0
        return weight * chat + (1.0 - weight) * self.other.probability(row)
