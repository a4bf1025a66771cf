"""The held-out NLU splits stay held out: none of their sentences is in the training data.

Also the figures own_nlu.py prints from (expected, predicted) pairs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from evaluation.own_nlu import (
    DEFAULT_SPLIT,
    PARAPHRASE_DEV,
    PARAPHRASE_DEV2,
    UNDERSTANDING_DEV,
    confusion_matrix,
    format_confusion,
    is_held_out,
    load_split,
    print_report,
    scores,
)
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


# The dev sets are tuned against, so they must not be learnt by heart either: a dev figure on
# sentences the model trained on would say nothing about unseen phrasings.
@pytest.mark.parametrize(
    "split",
    [DEFAULT_SPLIT, PARAPHRASE_DEV, PARAPHRASE_DEV2, UNDERSTANDING_DEV],
    ids=lambda p: p.name,
)
def test_no_test_sentence_is_trained_on(split: Path) -> None:
    trained = _training_sentences()
    overlap = [t for t, _ in load_split(split) if _normalised(t) in trained and len(t) > 12]
    assert overlap == []


def test_scores_per_intent() -> None:
    pairs = [("a", "a"), ("a", "b"), ("b", "b"), ("c", "b")]
    by_intent = {s.intent: s for s in scores(pairs)}
    assert (by_intent["a"].precision, by_intent["a"].recall) == (1.0, 0.5)
    assert (by_intent["b"].precision, by_intent["b"].recall) == (1 / 3, 1.0)
    assert (by_intent["c"].precision, by_intent["c"].recall) == (0.0, 0.0)


def test_confusion_matrix_rows_expected_columns_predicted() -> None:
    pairs = [
        ("refund_status", "request_refund"),
        ("refund_status", "refund_status"),
        ("refund_status", "nlu_fallback"),
        ("request_refund", "request_refund"),
        ("request_refund", "request_refund"),
        ("complain", "check_delivery"),
    ]
    matrix = confusion_matrix(pairs)
    assert matrix.rows == ["complain", "refund_status", "request_refund"]
    # Expected intents first in row order, then other predictions, then the fallback.
    assert matrix.columns == [
        "complain",
        "refund_status",
        "request_refund",
        "check_delivery",
        "nlu_fallback",
    ]
    assert matrix.counts == [
        [0, 0, 0, 1, 0],
        [0, 1, 1, 0, 1],
        [0, 0, 2, 0, 0],
    ]
    assert matrix.cell("refund_status", "request_refund") == 1
    assert matrix.cell("request_refund", "request_refund") == 2
    assert matrix.cell("complain", "greet") == 0
    # Every pair is counted once, in its row.
    assert sum(map(sum, matrix.counts)) == len(pairs)


def test_confusion_matrix_always_has_a_fallback_column() -> None:
    matrix = confusion_matrix([("greet", "greet"), ("nlu_fallback", "nlu_fallback")])
    assert matrix.rows == ["greet", "nlu_fallback"]
    assert matrix.columns == ["greet", "nlu_fallback"]
    assert matrix.counts == [[1, 0], [0, 1]]
    assert confusion_matrix([("greet", "greet")]).columns == ["greet", "nlu_fallback"]


def test_confusion_matrix_text_shows_counts_and_legend() -> None:
    lines = format_confusion(confusion_matrix([("deny", "affirm"), ("deny", "deny")]))
    assert lines[0].split()[-3:] == ["1", "2", "3"]
    assert lines[1].split() == ["deny", "1", "1", "."]
    assert lines[-1] == "columns: 1=deny, 2=affirm, 3=nlu_fallback"


@pytest.mark.parametrize(
    "name",
    ["nlu_test_split.yml", "paraphrase_test.yml", "ko_nlu_test.yml", "mood_test.yml"],
)
def test_held_out_splits_never_print_their_sentences(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert is_held_out(Path(name))
    rows = [("where is my parcel", "check_delivery"), ("hi", "greet")]
    print_report(rows, [("check_delivery", "complain"), ("greet", "greet")], name, False)
    out = capsys.readouterr().out
    assert "where is my parcel" not in out
    assert "1 misses" in out


def test_dev_splits_print_their_misses(capsys: pytest.CaptureFixture[str]) -> None:
    assert not is_held_out(PARAPHRASE_DEV)
    assert not is_held_out(PARAPHRASE_DEV2)
    assert not is_held_out(UNDERSTANDING_DEV)
    print_report([("where is my parcel", "check_delivery")], [("check_delivery", "complain")])
    assert "where is my parcel" in capsys.readouterr().out
