"""Choosing a score's annoyed and frustrated cut points for the best three-level macro-F1.

A message's score only ranks messages; where its levels start is a separate choice, made on
scores the model did not train on (out of fold), never on a test set. `best_cut_points` tries
every pair of a fixed grid at once with numpy; `nested_macro_f1` says how much of the best
figure is the choice itself fitting the folds: each fold's levels come from the setting and
cut points chosen on the other folds' scores alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from contract.slots import ANNOYED, CALM, FRUSTRATED

LEVEL_ORDER = (CALM, ANNOYED, FRUSTRATED)
GRID = np.round(np.arange(0.05, 0.951, 0.005), 3)


@dataclass(frozen=True)
class CutPoints:
    """Where the annoyed and the frustrated level start, and the macro-F1 they gave."""

    annoyed_from: float
    frustrated_from: float
    macro_f1: float


def level_indices(labels: Sequence[str]) -> np.ndarray:
    """0 calm, 1 annoyed, 2 frustrated."""
    return np.array([LEVEL_ORDER.index(label) for label in labels])


def _macro_f1(predicted: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """Macro-F1 of each row of `predicted` (rows: candidate cut points) against `expected`."""
    scores = []
    for level in range(len(LEVEL_ORDER)):
        hit = predicted == level
        wanted = expected == level
        tp = (hit & wanted).sum(axis=1)
        wrong = (hit != wanted).sum(axis=1)
        scores.append(np.where(tp > 0, 2 * tp / np.maximum(2 * tp + wrong, 1), 0.0))
    return np.asarray(np.mean(scores, axis=0))


def best_cut_points(
    scores: np.ndarray, expected: np.ndarray, frustrated_above: float = 0.0, grid: np.ndarray = GRID
) -> CutPoints:
    """The pair of the grid (annoyed below frustrated, frustrated above `frustrated_above`) with
    the best macro-F1; the lowest pair wins a tie."""
    low, high = np.meshgrid(grid, grid, indexing="ij")
    keep = (low < high) & (high > frustrated_above)
    pairs = np.stack([low[keep], high[keep]], axis=1)
    predicted = (scores[None, :] >= pairs[:, :1]).astype(int) + (scores[None, :] >= pairs[:, 1:])
    found = _macro_f1(predicted, expected[None, :])
    best = int(np.argmax(found))
    return CutPoints(float(pairs[best, 0]), float(pairs[best, 1]), float(found[best]))


def levels_at(scores: np.ndarray, annoyed_from: float, frustrated_from: float) -> np.ndarray:
    """Each score's level index under the cut points."""
    return (scores >= annoyed_from).astype(int) + (scores >= frustrated_from)


def macro_f1_at(
    scores: np.ndarray, expected: np.ndarray, annoyed_from: float, frustrated_from: float
) -> float:
    """Macro-F1 of the levels the cut points give."""
    predicted = levels_at(scores, annoyed_from, frustrated_from)
    return float(_macro_f1(predicted[None, :], expected[None, :])[0])


def nested_macro_f1(
    candidates: Sequence[np.ndarray],
    expected: np.ndarray,
    folds: np.ndarray,
    frustrated_above: float = 0.0,
) -> float:
    """Macro-F1 when each fold's levels come from the candidate scoring (one array of scores
    per setting tried) and cut points chosen on the other folds alone."""
    predicted = np.zeros(len(expected), dtype=int)
    for fold in np.unique(folds):
        inside = folds == fold
        cuts = [
            best_cut_points(scores[~inside], expected[~inside], frustrated_above)
            for scores in candidates
        ]
        best = max(range(len(cuts)), key=lambda i: cuts[i].macro_f1)
        cut = cuts[best]
        predicted[inside] = levels_at(
            candidates[best][inside], cut.annoyed_from, cut.frustrated_from
        )
    return float(_macro_f1(predicted[None, :], expected[None, :])[0])
