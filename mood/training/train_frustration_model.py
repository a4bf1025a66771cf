"""Trains the frustration model on GoEmotions and writes the weights the analyser ships.

    .venv/bin/python -m mood.training.train_frustration_model [--data-dir DIR] [--out FILE]

Reads ../shared/data/goemotions (train.tsv to fit, dev.tsv to choose; test.tsv is left to
`make eval`), never copies a sentence into the project: the output holds n-grams with their idf
and coefficient only. Deterministic (lbfgs, a fixed grid), so running it again
reproduces mood/weights/frustration_model.json. See mood/training/README.md.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from mood.model import DEFAULT_WEIGHTS, DENSE_FEATURES, FORMAT, FrustrationModel, dense_features

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA_DIR = PROJECT_ROOT.parent / "shared" / "data" / "goemotions"
TARGET = ("anger", "annoyance", "disappointment", "disapproval", "disgust")
WORD_RANGE = (1, 2)
CHAR_RANGE = (2, 5)
# (n-grams kept, inverse regularisation C): each is fitted on train and scored on dev.
GRID: tuple[tuple[int, float], ...] = ((30000, 0.5), (60000, 0.5), (60000, 1.0), (90000, 0.7))


@dataclass(frozen=True)
class Split:
    """Texts, 0/1 targets and VADER scores of one GoEmotions file."""

    texts: list[str]
    targets: np.ndarray
    dense: csr_matrix


def read_split(directory: Path, name: str, vader: SentimentIntensityAnalyzer) -> Split:
    """One file: `text <TAB> label ids <TAB> comment id`; target = any TARGET label."""
    names = (directory / "emotions.txt").read_text(encoding="utf-8").split()
    wanted = {names.index(label) for label in TARGET}
    texts, targets = [], []
    for line in (directory / name).read_text(encoding="utf-8").splitlines():
        text, labels, _ = line.split("\t")
        texts.append(text)
        targets.append(int(any(int(label) in wanted for label in labels.split(","))))
    rows = [dense_features(text, vader.polarity_scores(text)) for text in texts]
    return Split(texts, np.array(targets), csr_matrix(np.array(rows)))


def vectorizers(words: Sequence[str] | None, chars: Sequence[str] | None) -> list[Any]:
    """The two TF-IDF blocks; with vocabularies given, restricted to them."""
    return [
        TfidfVectorizer(ngram_range=WORD_RANGE, min_df=2, sublinear_tf=True, vocabulary=words),
        TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=CHAR_RANGE,
            min_df=3,
            sublinear_tf=True,
            vocabulary=chars,
        ),
    ]


def fit(blocks: list[Any], train: Split, c: float) -> LogisticRegression:
    """Fits the vectorizers and the regression on the training split."""
    matrix = hstack([b.fit_transform(train.texts) for b in blocks] + [train.dense]).tocsr()
    return LogisticRegression(C=c, max_iter=5000).fit(matrix, train.targets)


def decisions(blocks: list[Any], model: LogisticRegression, split: Split) -> np.ndarray:
    """scikit-learn's log-odds for every message of a split."""
    matrix = hstack([b.transform(split.texts) for b in blocks] + [split.dense]).tocsr()
    scores: np.ndarray = model.decision_function(matrix)
    return scores


def strongest(blocks: list[Any], model: LogisticRegression, keep: int) -> list[list[str]]:
    """The `keep` n-grams with the largest absolute coefficients, per block."""
    names = [list(b.get_feature_names_out()) for b in blocks]
    coef = model.coef_[0][: len(names[0]) + len(names[1])]
    chosen = set(np.argsort(-np.abs(coef))[:keep].tolist())
    offset = len(names[0])
    return [
        [gram for i, gram in enumerate(names[0]) if i in chosen],
        [gram for i, gram in enumerate(names[1]) if i + offset in chosen],
    ]


def export(
    blocks: list[Any],
    model: LogisticRegression,
    about: dict[str, Any],
    dense_names: Sequence[str] = DENSE_FEATURES,
    ranges: Sequence[tuple[int, int]] = (WORD_RANGE, CHAR_RANGE),
    keys: Sequence[str] = ("word", "char"),
) -> dict[str, Any]:
    """The weights file's content (coefficients rounded: a few MB instead of tens); one row of
    coefficients per output (one for a binary regression, one per class otherwise). `keys`
    names the blocks in order: a model may go without its word block (the Korean one)."""
    coef = model.coef_
    out: dict[str, Any] = {"format": FORMAT, "about": about}
    start = 0
    for key, block, grams in zip(keys, blocks, ranges, strict=True):
        names = list(block.get_feature_names_out())
        out[key] = {
            "ngram_range": list(grams),
            "ngrams": names,
            "idf": [round(float(v), 5) for v in block.idf_],
            "coef": [[round(float(v), 5) for v in row[start : start + len(names)]] for row in coef],
        }
        start += len(names)
    out["dense"] = {
        "names": list(dense_names),
        "coef": [[round(float(v), 6) for v in row[start:]] for row in coef],
    }
    out["intercept"] = [round(float(v), 6) for v in model.intercept_]
    return out


def check_agreement(
    raw: dict[str, Any], expected: np.ndarray, split: Split, vader: SentimentIntensityAnalyzer
) -> float:
    """Largest difference of log-odds between the plain-Python scorer and scikit-learn."""
    scorer = FrustrationModel(raw)
    got = [scorer.decision(t, vader.polarity_scores(t)) for t in split.texts]
    return float(np.max(np.abs(np.array(got) - expected)))


def write_checked(raw: dict[str, Any], gap: float, out: Path, chosen: str = "") -> int:
    """Writes the exported weights only if the plain-Python scorer gives scikit-learn's answers
    (largest difference `gap`); every trainer ships weights through here, so none can ship a
    scorer that disagrees with what was measured. Returns the exit status."""
    print(f"{chosen}plain-Python scorer vs scikit-learn: max |diff| {gap:.5f}")
    if gap > 0.01 or math.isnan(gap):
        print("error: the plain-Python scorer disagrees with scikit-learn", file=sys.stderr)
        return 1
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(raw, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
    print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB)")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Fits the grid, keeps the best on dev, checks the export, writes it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--out", type=Path, default=DEFAULT_WEIGHTS)
    args = parser.parse_args(argv)
    vader = SentimentIntensityAnalyzer()
    train = read_split(args.data_dir, "train.tsv", vader)
    dev = read_split(args.data_dir, "dev.tsv", vader)
    full = vectorizers(None, None)
    ranking = fit(full, train, 0.7)
    full_auc = roc_auc_score(dev.targets, decisions(full, ranking, dev))
    print(f"full vocabulary: dev ROC AUC {full_auc:.4f}")
    best: tuple[float, int, float, list[Any], LogisticRegression] | None = None
    for keep, c in GRID:
        words, chars = strongest(full, ranking, keep)
        blocks = vectorizers(words, chars)
        model = fit(blocks, train, c)
        auc = roc_auc_score(dev.targets, decisions(blocks, model, dev))
        print(f"{keep} n-grams, C={c}: dev ROC AUC {auc:.4f}", flush=True)
        if best is None or auc > best[0]:
            best = (auc, keep, c, blocks, model)
    assert best is not None
    auc, keep, c, blocks, model = best
    about = {
        "data": "GoEmotions (Demszky et al. 2020, Apache-2.0), train.tsv; chosen on dev.tsv",
        "target": list(TARGET),
        "ngrams_kept": keep,
        "C": c,
        "dev_roc_auc": round(float(auc), 4),
        "trained_by": "mood/training/train_frustration_model.py",
    }
    raw = export(blocks, model, about)
    gap = check_agreement(raw, decisions(blocks, model, dev), dev, vader)
    return write_checked(raw, gap, args.out, f"chosen: {keep} n-grams, C={c}; ")


if __name__ == "__main__":
    sys.exit(main())
