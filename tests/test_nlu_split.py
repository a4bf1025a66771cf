"""The own NLU test split stays a test split: none of its sentences is in the training data."""

from __future__ import annotations

import re

import yaml

from evaluation.own_nlu import DEFAULT_SPLIT, load_split, scores
from harness.helpers import REPO_ROOT


def _normalised(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def _training_sentences() -> set[str]:
    sentences: set[str] = set()
    for path in (REPO_ROOT / "data" / "nlu").glob("*.yml"):
        for block in yaml.safe_load(path.read_text())["nlu"]:
            for line in str(block.get("examples", "")).splitlines():
                plain = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", line.strip().removeprefix("- "))
                sentences.add(_normalised(plain))
    return sentences


def test_no_test_sentence_is_trained_on() -> None:
    trained = _training_sentences()
    overlap = [t for t, _ in load_split(DEFAULT_SPLIT) if _normalised(t) in trained and len(t) > 12]
    assert overlap == []


def test_scores_per_intent() -> None:
    pairs = [("a", "a"), ("a", "b"), ("b", "b"), ("c", "b")]
    by_intent = {s.intent: s for s in scores(pairs)}
    assert (by_intent["a"].precision, by_intent["a"].recall) == (1.0, 0.5)
    assert (by_intent["b"].precision, by_intent["b"].recall) == (1 / 3, 1.0)
    assert (by_intent["c"].precision, by_intent["c"].recall) == (0.0, 0.0)
