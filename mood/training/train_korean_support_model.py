"""Trains the Korean support-chat mood model on the project's own labelled Korean turns.

    .venv/bin/python -m mood.training.train_korean_support_model [--out FILE]

The KOTE model (train_korean_model.py) ranks anger in comments on news and videos; on Korean
support turns its log-odds alone ranked the not-calm ones at a cross-validated ROC AUC of
0.70: it has never seen "기다리라는 말만 하시니까" or "또 처음부터 설명해야 돼요?" and reads
"환불" or "파손" in a calm request as a complaint. This second stage learns support wording: a
logistic regression over character 2-5-grams of the turns and the KOTE model's log-odds, for
annoyed or frustrated against calm. It is trained on every labelled Korean training turn
(mood/training/ko_support_turns.yml and the tuning part tests/data/ko_frustration_tuning.yml);
the held-out test part (evaluation/data/ko_mood_test.yml) is never read.

C and how the model joins the Korean cues (`model.from` / `model.weight` of
config/mood_ko.yml) are chosen together by 5-fold cross-validation (stratified, seed 0): every
turn is scored by a model that did not train on it, through the assistant's whole reading (the
English analyser, the Korean cues, this model), and the best macro-F1 of the three levels is
printed with its settings; config/mood_ko.yml is set by hand from it. The KOTE model is the
same in every fold (it never saw these turns). The output holds n-grams and coefficients,
never a turn; the plain-Python scorer is checked against scikit-learn before writing.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product
from pathlib import Path

import numpy as np
import yaml
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

from evaluation.mood_figures import macro_f1
from mood.analyzer import TurnAnalyzer, TurnScore
from mood.korean import KoreanCues, KoreanReading, ModelReading, load_korean_cues, with_korean_cues
from mood.model import (
    KOREAN_SUPPORT_DENSE_FEATURES,
    KOREAN_SUPPORT_WEIGHTS,
    KoreanMoodModel,
    KoreanSupportModel,
)
from mood.settings import FrustrationSettings, load_frustration_settings
from mood.training.train_frustration_model import export, write_checked

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TURN_FILES = (
    PROJECT_ROOT / "mood" / "training" / "ko_support_turns.yml",
    PROJECT_ROOT / "tests" / "data" / "ko_frustration_tuning.yml",
)
CHAR_RANGE = (2, 5)
C_GRID = (1.0, 3.0, 10.0, 30.0)
STARTS = (0.2, 0.3, 0.4, 0.5, 0.6)
WEIGHTS = (0.15, 0.25, 0.35, 0.5, 0.7)


@dataclass(frozen=True)
class Turns:
    """The labelled turns, their 0/1 target (not calm) and the KOTE model's log-odds."""

    texts: list[str]
    labels: list[str]
    targets: np.ndarray
    kote: np.ndarray

    def subset(self, rows: np.ndarray) -> Turns:
        """The turns at `rows`."""
        return Turns(
            [self.texts[i] for i in rows],
            [self.labels[i] for i in rows],
            self.targets[rows],
            self.kote[rows],
        )


def read_turns(kote: KoreanMoodModel, paths: Sequence[Path] = TURN_FILES) -> Turns:
    """Every labelled turn of the files, with the KOTE model's reading of it."""
    texts, labels = [], []
    for path in paths:
        for message in yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]:
            texts.append(str(message["text"]))
            labels.append(str(message["label"]))
    targets = np.array([label != "calm" for label in labels], dtype=int)
    return Turns(texts, labels, targets, np.array([kote.decision(t) for t in texts]))


def vectorizer() -> TfidfVectorizer:
    """Character 2-5-grams within words, as the KOTE model reads them."""
    return TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_RANGE, sublinear_tf=True)


def matrix(block: TfidfVectorizer, turns: Turns, fit: bool) -> csr_matrix:
    """The n-grams (fitted first when `fit`) beside the KOTE log-odds column."""
    grams = block.fit_transform(turns.texts) if fit else block.transform(turns.texts)
    return hstack([grams, csr_matrix(turns.kote[:, None])]).tocsr()


def out_of_fold(turns: Turns, c: float) -> np.ndarray:
    """Each turn's probability from a model fitted on the other four folds."""
    found = np.zeros(len(turns.texts))
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    for train, test in folds.split(turns.texts, turns.labels):
        block = vectorizer()
        fitted = LogisticRegression(C=c, max_iter=5000)
        fitted.fit(matrix(block, turns.subset(train), fit=True), turns.targets[train])
        found[test] = fitted.predict_proba(matrix(block, turns.subset(test), fit=False))[:, 1]
    return found


class _Fixed:
    """Stands in for the model with probabilities already computed (out of fold)."""

    def __init__(self, probabilities: dict[str, float]) -> None:
        self._probabilities = probabilities

    def probability(self, text: str) -> float:
        """The stored probability of `text`."""
        return self._probabilities[text]


def joined_macro_f1(
    turns: Turns,
    probabilities: np.ndarray,
    english: Sequence[TurnScore],
    settings: FrustrationSettings,
    cues: KoreanCues,
    start: float,
    weight: float,
) -> float:
    """Macro-F1 of the assistant's levels when the model joins the cues at `start`, `weight`."""
    fixed = _Fixed(dict(zip(turns.texts, probabilities.tolist(), strict=True)))
    reading = KoreanReading(cues, ModelReading(fixed, start, weight))
    levels = [
        settings.levels.level_of(with_korean_cues(turn, text, settings, reading).frustration)
        for turn, text in zip(english, turns.texts, strict=True)
    ]
    return macro_f1(levels, turns.labels)


def main(argv: Sequence[str] | None = None) -> int:
    """Cross-validates C with the joining settings, fits the best C on every turn, checks the
    plain-Python scorer against scikit-learn, writes the file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=KOREAN_SUPPORT_WEIGHTS)
    args = parser.parse_args(argv)
    kote = KoreanMoodModel.load()
    turns = read_turns(kote)
    settings = load_frustration_settings()
    analyzer = TurnAnalyzer(settings)
    english = [analyzer.analyze(text) for text in turns.texts]
    cues = load_korean_cues()
    print(f"{len(turns.texts)} labelled turns, {turns.targets.mean():.1%} not calm")
    kote_alone = 1.0 / (1.0 + np.exp(-turns.kote))
    baseline = max(
        joined_macro_f1(turns, kote_alone, english, settings, cues, start, weight)
        for start, weight in product(STARTS, WEIGHTS)
    )
    print(
        f"KOTE model alone: ROC AUC not calm {roc_auc_score(turns.targets, turns.kote):.3f}; "
        f"joined macro-F1 {baseline:.3f} at its best from and weight"
    )
    results: dict[tuple[float, float, float], float] = {}
    for c in C_GRID:
        found = out_of_fold(turns, c)
        for start, weight in product(STARTS, WEIGHTS):
            score = joined_macro_f1(turns, found, english, settings, cues, start, weight)
            results[(c, start, weight)] = score
        best = max((k for k in results if k[0] == c), key=lambda k: results[k])
        print(
            f"C={c}: 5-fold ROC AUC not calm {roc_auc_score(turns.targets, found):.3f}; "
            f"joined macro-F1 {results[best]:.3f} at from {best[1]} weight {best[2]}",
            flush=True,
        )
    c, start, weight = max(results, key=lambda k: results[k])
    print(f"chosen: C={c}, config/mood_ko.yml model.from {start}, model.weight {weight}")
    block = vectorizer()
    model = LogisticRegression(C=c, max_iter=5000).fit(matrix(block, turns, True), turns.targets)
    about = {
        "data": "the project's labelled Korean support turns; C by 5-fold cross-validation",
        "target": "annoyed or frustrated against calm",
        "C": c,
        "cv_joined_macro_f1": round(results[(c, start, weight)], 4),
        "trained_by": "mood/training/train_korean_support_model.py",
    }
    raw = export(
        [block],
        model,
        about,
        dense_names=KOREAN_SUPPORT_DENSE_FEATURES,
        ranges=(CHAR_RANGE,),
        keys=("char",),
    )
    scorer = KoreanSupportModel(raw, kote)
    expected = model.decision_function(matrix(block, turns, fit=False))
    gap = max(abs(scorer.decision(t) - e) for t, e in zip(turns.texts, expected, strict=True))
    return write_checked(raw, gap, args.out)


if __name__ == "__main__":
    sys.exit(main())
