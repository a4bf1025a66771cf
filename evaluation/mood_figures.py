"""The mood figures issue 11 asks for, each next to plain VADER:

- GoEmotions test split, target {anger, annoyance, disappointment, disapproval, disgust}: ROC AUC
  of the frustration score (VADER: of -compound);
- the labelled set (tests/data): 3-class macro-F1 per part (VADER with its own cut-offs and with
  the cut-offs best on the tuning part);
- Bitext rows tagged W (offensive) vs the rest: ROC AUC;
- VADER's tweets: Pearson r of the sentiment with the human ratings;
- time per analysed message: median and p99, of CPU time (best of 3 passes) and wall time.

    python -m evaluation.mood_figures [--data-dir DIR] [--turns N]

It uses only `TurnAnalyzer(load_frustration_settings()).analyze(text)`, so running it with
another version of `mood/` on PYTHONPATH measures that version (the previous analyser's figures
in README were measured so). Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from contract.slots import LEVELS
from evaluation.sentiment_eval import (
    DEFAULT_DATA_DIR,
    DEFAULT_LABELLED,
    VADER_OWN,
    best_cutoffs,
    pearson,
    read_bitext,
    read_labelled,
    read_vader_file,
)
from mood.analyzer import TurnAnalyzer
from mood.settings import load_frustration_settings

TARGET = ("anger", "annoyance", "disappointment", "disapproval", "disgust")


def roc_auc(scores: Sequence[float], positive: Sequence[bool]) -> float:
    """Probability that a positive scores above a negative (ties count half)."""
    ranked = sorted(zip(scores, positive, strict=True))
    rank_sum = 0.0
    i = 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        rank_sum += sum(p for _, p in ranked[i:j]) * (i + j + 1) / 2.0
        i = j
    pos = sum(positive)
    neg = len(positive) - pos
    return (rank_sum - pos * (pos + 1) / 2.0) / (pos * neg)


def macro_f1(predicted: Sequence[str], expected: Sequence[str]) -> float:
    """Mean F1 over the three levels."""
    scores = []
    for level in LEVELS:
        tp = sum(p == e == level for p, e in zip(predicted, expected, strict=True))
        fp = sum(p == level != e for p, e in zip(predicted, expected, strict=True))
        fn = sum(e == level != p for p, e in zip(predicted, expected, strict=True))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


def read_goemotions(directory: Path) -> list[tuple[str, bool]]:
    """(text, has a TARGET label) for the test split."""
    names = (directory / "emotions.txt").read_text(encoding="utf-8").split()
    wanted = {str(names.index(label)) for label in TARGET}
    rows = []
    for line in (directory / "test.tsv").read_text(encoding="utf-8").splitlines():
        text, labels, _ = line.split("\t")
        rows.append((text, bool(wanted & set(labels.split(",")))))
    return rows


def goemotions_model_row(directory: Path, vader: SentimentIntensityAnalyzer) -> None:
    """The GoEmotions model alone (log-odds), when this version of mood/ has one."""
    try:
        from mood.model import FrustrationModel
    except ImportError:
        return
    model = FrustrationModel.load()
    rows = read_goemotions(directory)
    scores = [model.decision(t, vader.polarity_scores(t)) for t, _ in rows]
    row("GoEmotions test, model alone", f"{roc_auc(scores, [f for _, f in rows]):.4f}")


def timings(call: Callable[[str], object], texts: Sequence[str]) -> tuple[float, ...]:
    """CPU median and p99 (best of 3 passes per message), wall median and p99 (first pass)."""
    cpu = [float("inf")] * len(texts)
    wall: list[float] = []
    for attempt in range(3):
        for i, text in enumerate(texts):
            started, started_cpu = time.perf_counter_ns(), time.process_time_ns()
            call(text)
            cpu[i] = min(cpu[i], (time.process_time_ns() - started_cpu) / 1000.0)
            if attempt == 0:
                wall.append((time.perf_counter_ns() - started) / 1000.0)
    return (
        statistics.median(cpu),
        statistics.quantiles(cpu, n=100)[98],
        statistics.median(wall),
        statistics.quantiles(wall, n=100)[98],
    )


def row(label: str, *figures: str) -> None:
    """One aligned line of figures."""
    print(f"  {label:<40}" + "".join(f"{f:>16}" for f in figures))


def main(argv: Sequence[str] | None = None) -> int:
    """Prints every figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--turns", type=int, default=5000)
    args = parser.parse_args(argv)
    settings = load_frustration_settings()
    analyzer = TurnAnalyzer(settings)
    vader = SentimentIntensityAnalyzer()

    def ours(text: str) -> float:
        return analyzer.analyze(text).frustration

    def plain(text: str) -> float:
        return -float(vader.polarity_scores(text)["compound"])

    print("\nRanking upset messages: ROC AUC (goal: GoEmotions >= 0.85, Bitext W >= 0.98)")
    row("", "ours", "VADER")
    goemotions_model_row(args.data_dir / "goemotions", vader)
    goemotions = read_goemotions(args.data_dir / "goemotions")
    bitext = read_bitext(args.data_dir / "bitext")
    for name, rows in (("GoEmotions test", goemotions), ("Bitext W vs rest", bitext)):
        flags = [flag for _, flag in rows]
        row(
            f"{name} ({sum(flags)}/{len(rows)})",
            f"{roc_auc([ours(t) for t, _ in rows], flags):.4f}",
            f"{roc_auc([plain(t) for t, _ in rows], flags):.4f}",
        )

    labelled = read_labelled(DEFAULT_LABELLED)
    tuned = best_cutoffs(
        [vader.polarity_scores(t)["compound"] for t, _ in labelled["tuning"]],
        [label for _, label in labelled["tuning"]],
    )
    print("\nLabelled customer messages: 3-class macro-F1 (goal: held_out >= 0.75)")
    row("", "ours", "VADER own", f"VADER {tuned.annoyed}/{tuned.frustrated}")
    for part, pairs in labelled.items():
        expected = [label for _, label in pairs]
        compounds = [vader.polarity_scores(t)["compound"] for t, _ in pairs]
        row(
            f"{part} ({len(pairs)})",
            f"{macro_f1([settings.levels.level_of(ours(t)) for t, _ in pairs], expected):.3f}",
            f"{macro_f1([VADER_OWN.level_of(c) for c in compounds], expected):.3f}",
            f"{macro_f1([tuned.level_of(c) for c in compounds], expected):.3f}",
        )

    tweets = read_vader_file(args.data_dir / "vader" / "tweets_GroundTruth.txt")
    humans = [rating for rating, _ in tweets]
    print("\nSentiment vs human ratings, VADER tweets: Pearson r (goal >= 0.87)")
    row("", "ours", "VADER")
    row(
        f"tweets ({len(tweets)})",
        f"{pearson([analyzer.analyze(t).sentiment for _, t in tweets], humans):.4f}",
        f"{pearson([-plain(t) for _, t in tweets], humans):.4f}",
    )

    texts = [t for pairs in labelled.values() for t, _ in pairs] + [t for t, _ in bitext]
    sample = [texts[i % len(texts)] for i in range(args.turns)]
    print(f"\nTime per analysed message over {len(sample)} messages (microseconds; goal < 300)")
    print("  CPU: each message's least CPU time over 3 passes, so other processes on a shared")
    print("  machine count as little as they can; wall: one pass as it happened")
    row("", "CPU median", "CPU p99", "wall median", "wall p99")
    for name, call in (("ours", analyzer.analyze), ("VADER", vader.polarity_scores)):
        row(name, *(f"{value:.0f}" for value in timings(call, sample)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
