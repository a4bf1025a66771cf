"""Trains the support-chat model on the project's labelled training turns and writes its weights.

    .venv/bin/python -m mood.training.train_support_model

GoEmotions tells negative wording from the rest but not how strongly a customer is upset
("this is annoying" and "I'm livid" both read negative). This small multinomial regression
learns calm / annoyed / frustrated from the project's own messages (the `tuning` part of
tests/data/frustration_labelled.yml and the customer turns of mood/training/support_dialogues.yml,
mood/training/short_requests.yml and mood/training/intensity_turns.yml; `held_out` and
evaluation/data are never read here), with the GoEmotions model's log-odds and VADER's compound
as columns beside its own n-grams. C is chosen by 5-fold cross-validation (macro-F1);
deterministic. See mood/training/README.md.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import yaml
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from contract.slots import LEVELS
from evaluation.sentiment_eval import DEFAULT_LABELLED, read_labelled
from mood.model import SUPPORT_DENSE_FEATURES, FrustrationModel, SupportModel
from mood.training.train_frustration_model import export, write_checked

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "weights" / "support_model.json"
DEFAULT_DIALOGUES = (
    Path(__file__).resolve().parent / "support_dialogues.yml",
    Path(__file__).resolve().parent / "short_requests.yml",
    Path(__file__).resolve().parent / "intensity_turns.yml",
)
C_GRID = (0.3, 1.0, 3.0)


def dialogue_turns(path: Path) -> list[tuple[str, str]]:
    """(text, label) of every labelled customer turn of the training scenarios. The text alone
    is learnt, as `make score` and the analyser read it; the bot's lines are context for the
    labeller."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        (str(turn["user"]), str(turn["label"]))
        for scenario in raw["scenarios"]
        for turn in scenario["turns"]
        if "user" in turn and turn.get("label") in LEVELS
    ]


def blocks() -> list[TfidfVectorizer]:
    """Word 1-2-grams, and character 3-5-grams of words seen at least 3 times. Words only:
    capitals and '!'/'?' are explicit cues of their own and must not count twice."""
    return [
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 5), sublinear_tf=True, min_df=5),
    ]


def matrix(
    vectorizers: list[TfidfVectorizer], texts: list[str], dense: np.ndarray, fit: bool
) -> csr_matrix:
    """The n-gram blocks and the dense columns side by side."""
    parts = [v.fit_transform(texts) if fit else v.transform(texts) for v in vectorizers]
    return hstack([*parts, csr_matrix(dense)]).tocsr()


def cross_validated_f1(texts: list[str], dense: np.ndarray, targets: np.ndarray, c: float) -> float:
    """Macro-F1 of 5-fold cross-validation on the training turns."""
    predicted = np.zeros(len(targets), dtype=int)
    for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(texts, targets):
        vectorizers = blocks()
        fitted = LogisticRegression(C=c, max_iter=5000).fit(
            matrix(vectorizers, [texts[i] for i in train], dense[train], True), targets[train]
        )
        predicted[test] = fitted.predict(
            matrix(vectorizers, [texts[i] for i in test], dense[test], False)
        )
    return float(f1_score(targets, predicted, average="macro"))


def main(argv: Sequence[str] | None = None) -> int:
    """Chooses C, fits on every training turn, checks the export, writes it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labelled", type=Path, default=DEFAULT_LABELLED)
    parser.add_argument("--dialogues", type=Path, nargs="+", default=list(DEFAULT_DIALOGUES))
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    rows = read_labelled(args.labelled)["tuning"]
    for path in args.dialogues:
        rows += dialogue_turns(path)
    texts = [text for text, _ in rows]
    targets = np.array([LEVELS.index(label) for _, label in rows])
    vader = SentimentIntensityAnalyzer()
    goemotions = FrustrationModel.load()
    dense = np.array(
        [
            [goemotions.decision(t, scores), scores["compound"]]
            for t, scores in ((t, vader.polarity_scores(t)) for t in texts)
        ]
    )
    scores = {c: cross_validated_f1(texts, dense, targets, c) for c in C_GRID}
    for c, f1 in scores.items():
        print(f"C={c}: 5-fold macro-F1 {f1:.3f}")
    best = max(C_GRID, key=lambda c: scores[c])
    vectorizers = blocks()
    fitted = LogisticRegression(C=best, max_iter=5000).fit(
        matrix(vectorizers, texts, dense, True), targets
    )
    about = {
        "data": "tests/data/frustration_labelled.yml tuning part, "
        + ", ".join(path.name for path in args.dialogues),
        "C": best,
        "cv_macro_f1": round(scores[best], 4),
        "trained_by": "mood/training/train_support_model.py",
    }
    raw = export(vectorizers, fitted, about, SUPPORT_DENSE_FEATURES, ((1, 2), (4, 5)))
    raw["classes"] = list(LEVELS)
    expected = fitted.predict_proba(matrix(vectorizers, texts, dense, False))
    scorer = SupportModel(raw, SUPPORT_DENSE_FEATURES)
    gap = max(
        abs(scorer.probabilities(t, d[0], d[1])[label] - expected[i][k])
        for i, (t, d) in enumerate(zip(texts, dense, strict=True))
        for k, label in enumerate(LEVELS)
    )
    return write_checked(raw, gap, args.out, f"chosen C={best}; ")


if __name__ == "__main__":
    sys.exit(main())
