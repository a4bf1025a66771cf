"""Trains the Korean mood model on KOTE and writes the weights the Korean mood reading ships.

    .venv/bin/python -m mood.training.train_korean_model [--data-dir DIR] [--out FILE]

The English model reads nothing in Hangul, and a cue list only catches what it names
(swearing, ㅡㅡ, 아직도): "정말 실망스럽습니다" or "이런 식이면 곤란하죠" need a model of
the wording. KOTE (`../shared/data/kote/val.tsv`, MIT; Korean online comments, 44 emotions
chosen by five raters) is the Korean data the project may train on: the target is a comment
whose raters chose complaint together with anger or annoyance (35% of the split), the issue's
"frustrated" target. Only val.tsv exists here, so every figure is 5-fold cross-validated on it
(stratified, fixed seed); the shipped model is then fitted on all of it. The output holds
n-grams with their idf and coefficient, never a comment. See mood/training/README.md.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

from mood.model import KOREAN_WEIGHTS, KoreanMoodModel
from mood.training.train_frustration_model import export, write_checked

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA_DIR = PROJECT_ROOT.parent / "shared" / "data" / "kote"
COMPLAINT = 0
ANGRY = frozenset({6, 22})  # anger, annoyance
CHAR_RANGE = (2, 5)
C_GRID = (1.0, 2.0, 4.0)
KEEP = 30000
"""N-grams kept in the shipped file (the largest coefficients of the full fit, then refitted
on those only, so the shipped vocabulary is exactly the one normalised over)."""


def read_kote(path: Path) -> tuple[list[str], np.ndarray]:
    """Texts and 0/1 targets of `id <TAB> text <TAB> label ids`."""
    texts, targets = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        _, text, labels = line.split("\t")
        ids = {int(label) for label in labels.split(",") if label}
        texts.append(text)
        targets.append(int(COMPLAINT in ids and bool(ids & ANGRY)))
    return texts, np.array(targets)


def vectorizers(chars: Sequence[str] | None = None) -> list[TfidfVectorizer]:
    """Character 2-5-grams within words, no word block: Korean glues particles and endings to
    the stem, so whole words are mostly unique ("짜증나네", "짜증나서", "개짜증") while their
    character n-grams are shared; a word 1-2-gram block beside them lowered the
    cross-validated AUC (see mood/training/README.md)."""
    return [
        TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=CHAR_RANGE,
            min_df=2,
            sublinear_tf=True,
            vocabulary=chars,
        )
    ]


def features(blocks: list[TfidfVectorizer], texts: list[str], fit: bool) -> csr_matrix:
    """The blocks side by side (fitted first when `fit`)."""
    parts = [b.fit_transform(texts) if fit else b.transform(texts) for b in blocks]
    return hstack(parts).tocsr()


def cross_validated_auc(make: Any, texts: list[str], targets: np.ndarray, c: float) -> float:
    """Mean ROC AUC over 5 stratified folds (seed 0) of a fresh model per fold."""
    aucs = []
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    for train, test in folds.split(texts, targets):
        blocks = make()
        fitted = features(blocks, [texts[i] for i in train], fit=True)
        model = LogisticRegression(C=c, max_iter=5000).fit(fitted, targets[train])
        scores = model.decision_function(features(blocks, [texts[i] for i in test], fit=False))
        aucs.append(roc_auc_score(targets[test], scores))
    return float(np.mean(aucs))


def strongest(block: TfidfVectorizer, model: LogisticRegression) -> list[str]:
    """The KEEP n-grams with the largest absolute coefficients."""
    chosen = set(np.argsort(-np.abs(model.coef_[0]))[:KEEP].tolist())
    return [gram for i, gram in enumerate(block.get_feature_names_out()) if i in chosen]


def main(argv: Sequence[str] | None = None) -> int:
    """Cross-validates the grid (C=1 is the issue's reference, a character n-gram regression),
    fits the best on all of val.tsv, checks the plain-Python scorer against scikit-learn,
    writes the file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--out", type=Path, default=KOREAN_WEIGHTS)
    args = parser.parse_args(argv)
    texts, targets = read_kote(args.data_dir / "val.tsv")
    print(f"KOTE val: {len(texts)} comments, {targets.mean():.1%} complaint with anger/annoyance")
    results = {c: cross_validated_auc(vectorizers, texts, targets, c) for c in C_GRID}
    for c, auc in results.items():
        print(f"character 2-5-grams, C={c}: 5-fold ROC AUC {auc:.4f}", flush=True)
    c = max(results, key=lambda k: results[k])
    [full] = vectorizers()
    ranking = LogisticRegression(C=c, max_iter=5000).fit(features([full], texts, True), targets)
    blocks = vectorizers(strongest(full, ranking))
    matrix = features(blocks, texts, fit=True)
    model = LogisticRegression(C=c, max_iter=5000).fit(matrix, targets)
    about = {
        "data": "KOTE (Jeon et al. 2022, MIT), val.tsv; C chosen by 5-fold cross-validation",
        "target": "complaint together with anger or annoyance",
        "C": c,
        "ngrams_kept": KEEP,
        "cv_roc_auc": round(results[c], 4),
        "trained_by": "mood/training/train_korean_model.py",
    }
    raw = export(blocks, model, about, dense_names=(), ranges=(CHAR_RANGE,), keys=("char",))
    scorer = KoreanMoodModel(raw)
    expected = model.decision_function(matrix)
    gap = max(abs(scorer.decision(t) - e) for t, e in zip(texts, expected, strict=True))
    return write_checked(raw, gap, args.out)


if __name__ == "__main__":
    sys.exit(main())
