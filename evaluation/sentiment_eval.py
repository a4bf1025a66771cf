"""How the per-turn analyser (mood) compares with plain VADER.

Plain VADER (compound score of the raw text) is the baseline printed beside every figure:
- sentiment: Pearson r against the human mean ratings of the VADER ground-truth files
  (../shared/data/vader, written by others, read here only to measure);
- offensive customer messages: the share of Bitext rows tagged W (offensive) scored at or above
  the annoyed level, against the rows without W;
- our own labelled messages (tests/data/frustration_labelled.yml): 3-class accuracy;
- cost: median microseconds per analysed message.

VADER has no frustration levels, so it gets two sets of cut-offs on its compound score c:
VADER's own (c <= -0.05 is negative: annoyed; c <= -0.5: frustrated) and the cut-offs that
fit the labelled set's tuning part best, which is as far as thresholds alone can take VADER.

    python -m evaluation.sentiment_eval [--limit N] [--turns N] [--data-dir DIR] [--labelled FILE]

Figures are printed, never asserted: the exit code is 0 unless data is missing.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import yaml
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from contract.slots import LEVELS
from mood.analyzer import TurnAnalyzer
from mood.settings import FrustrationSettings, load_frustration_settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT.parent / "shared" / "data"
DEFAULT_LABELLED = PROJECT_ROOT / "tests" / "data" / "frustration_labelled.yml"
VADER_FILES = (
    "tweets_GroundTruth.txt",
    "amazonReviewSnippets_GroundTruth.txt",
    "movieReviewSnippets_GroundTruth.txt",
    "nytEditorialSnippets_GroundTruth.txt",
)
BITEXT_FILES = (
    "Bitext_Sample_Customer_Service_Training_Dataset.csv",
    "Bitext_Sample_Customer_Service_Validation_Dataset.csv",
)

T = TypeVar("T")


class EvaluationError(Exception):
    """Data the user has to provide before anything can be measured."""


@dataclass(frozen=True)
class Cutoffs:
    """VADER compound cut-offs for the levels: c <= -annoyed is annoyed, c <= -frustrated is
    frustrated."""

    annoyed: float
    frustrated: float

    def level_of(self, compound: float) -> str:
        """The level VADER's compound score gives a message under these cut-offs."""
        if compound <= -self.frustrated:
            return "frustrated"
        if compound <= -self.annoyed:
            return "annoyed"
        return "calm"


VADER_OWN = Cutoffs(annoyed=0.05, frustrated=0.5)


def spread(rows: Sequence[T], limit: int | None) -> list[T]:
    """At most `limit` rows taken evenly across the file, so a quick run still sees every part."""
    if limit is None or limit >= len(rows):
        return list(rows)
    step = len(rows) / limit
    return [rows[int(i * step)] for i in range(limit)]


def read_vader_file(path: Path) -> list[tuple[float, str]]:
    """(human mean rating, text) pairs; the files have CRLF endings, the Amazon one a BOM."""
    if not path.is_file():
        raise EvaluationError(f"missing VADER ground truth {path}")
    pairs = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        fields = line.split("\t")
        if len(fields) >= 3:
            pairs.append((float(fields[1]), "\t".join(fields[2:])))
    return pairs


def read_bitext(directory: Path) -> list[tuple[str, bool]]:
    """(utterance, tagged offensive) for every Bitext row."""
    rows = []
    for name in BITEXT_FILES:
        path = directory / name
        if not path.is_file():
            raise EvaluationError(f"missing Bitext file {path}")
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows += [(row["utterance"], "W" in row["tags"]) for row in csv.DictReader(handle)]
    return rows


def read_labelled(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Part name (tuning, held_out) -> (text, label) pairs of the project's labelled set."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    parts: dict[str, list[tuple[str, str]]] = {}
    for part, by_label in raw.items():
        parts[part] = [(text, label) for label in LEVELS for text in by_label[label]]
    return parts


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Pearson correlation coefficient."""
    return statistics.correlation(list(xs), list(ys))


def accuracy(predicted: Iterable[str], expected: Iterable[str]) -> float:
    """Share of equal pairs."""
    pairs = list(zip(predicted, expected, strict=False))
    return sum(p == e for p, e in pairs) / len(pairs)


def best_cutoffs(compounds: Sequence[float], labels: Sequence[str]) -> Cutoffs:
    """The VADER cut-offs (steps of 0.05) with the best accuracy on these messages."""
    steps = [round(i * 0.05, 2) for i in range(20)]
    candidates = [Cutoffs(a, f) for a in steps for f in steps if f > a]
    return max(
        candidates,
        key=lambda cut: accuracy((cut.level_of(c) for c in compounds), labels),
    )


def median_microseconds(call: Callable[[str], object], texts: Sequence[str]) -> float:
    """Median wall time of one call, in microseconds (a figure to print, never to assert)."""
    durations = []
    for text in texts:
        start = time.perf_counter_ns()
        call(text)
        durations.append((time.perf_counter_ns() - start) / 1000.0)
    return statistics.median(durations)


class Report:
    """Aligned rows: a label and a few figures."""

    def heading(self, title: str, *columns: str) -> None:
        """A section title with the names of its figure columns."""
        print(f"\n{title}")
        print(f"  {'':<34}" + "".join(f"{c:>18}" for c in columns))

    def row(self, label: str, *figures: str) -> None:
        """One line of figures under the current heading."""
        print(f"  {label:<34}" + "".join(f"{f:>18}" for f in figures))


def evaluate_vader_files(
    report: Report,
    analyzer: TurnAnalyzer,
    vader: SentimentIntensityAnalyzer,
    directory: Path,
    limit: int | None,
) -> None:
    """Pearson r of our sentiment and of VADER's against the human ratings, per file."""
    report.heading("Sentiment vs human mean ratings (Pearson r)", "ours", "VADER")
    for name in VADER_FILES:
        pairs = spread(read_vader_file(directory / name), limit)
        humans = [rating for rating, _ in pairs]
        ours = [analyzer.analyze(text).sentiment for _, text in pairs]
        plain = [vader.polarity_scores(text)["compound"] for _, text in pairs]
        label = f"{name.split('_')[0]} ({len(pairs)})"
        report.row(label, f"{pearson(ours, humans):.4f}", f"{pearson(plain, humans):.4f}")


def evaluate_labelled(
    report: Report,
    analyzer: TurnAnalyzer,
    vader: SentimentIntensityAnalyzer,
    settings: FrustrationSettings,
    path: Path,
) -> Cutoffs:
    """3-class accuracy per part of the labelled set; returns VADER's best cut-offs."""
    parts = read_labelled(path)
    parts["all"] = [pair for pairs in list(parts.values()) for pair in pairs]
    compounds = {
        p: [vader.polarity_scores(t)["compound"] for t, _ in pairs] for p, pairs in parts.items()
    }
    tuned = best_cutoffs(compounds["tuning"], [label for _, label in parts["tuning"]])
    report.heading(
        "Labelled customer messages: 3-class accuracy",
        "ours",
        f"VADER {VADER_OWN.annoyed}/{VADER_OWN.frustrated}",
        f"VADER {tuned.annoyed}/{tuned.frustrated}",
    )
    confusion: dict[tuple[str, str], int] = {}
    for part, pairs in parts.items():
        labels = [label for _, label in pairs]
        ours = [settings.levels.level_of(analyzer.analyze(text).frustration) for text, _ in pairs]
        if part == "all":
            for got, want in zip(ours, labels, strict=False):
                confusion[(want, got)] = confusion.get((want, got), 0) + 1
        report.row(
            f"{part} ({len(pairs)})",
            f"{accuracy(ours, labels):.3f}",
            f"{accuracy((VADER_OWN.level_of(c) for c in compounds[part]), labels):.3f}",
            f"{accuracy((tuned.level_of(c) for c in compounds[part]), labels):.3f}",
        )
    print("  (VADER a/f: annoyed when compound <= -a, frustrated when <= -f; the second pair is")
    print("   the best on the tuning part.) Ours on all, rows = label, columns = predicted:")
    for want in LEVELS:
        counts = "  ".join(f"{got} {confusion.get((want, got), 0):>3}" for got in LEVELS)
        print(f"    {want:<11}{counts}")
    return tuned


def evaluate_bitext(
    report: Report,
    analyzer: TurnAnalyzer,
    vader: SentimentIntensityAnalyzer,
    settings: FrustrationSettings,
    tuned: Cutoffs,
    directory: Path,
    limit: int | None,
) -> list[str]:
    """Share of offensive and other Bitext rows at or above annoyed; returns the texts."""
    rows = spread(read_bitext(directory), limit)
    annoyed = settings.levels.annoyed
    report.heading(
        "Bitext rows scored at or above 'annoyed'",
        f"ours (>= {annoyed})",
        f"VADER (<= -{VADER_OWN.annoyed})",
        f"VADER (<= -{tuned.annoyed})",
    )
    for offensive, label in ((True, "tagged W (offensive)"), (False, "not W")):
        texts = [text for text, tagged in rows if tagged is offensive]
        if not texts:
            report.row(f"{label} (0)", "-", "-", "-")
            continue
        compounds = [vader.polarity_scores(text)["compound"] for text in texts]
        ours = sum(analyzer.analyze(text).frustration >= annoyed for text in texts)
        report.row(
            f"{label} ({len(texts)})",
            f"{ours / len(texts):.1%}",
            f"{sum(c <= -VADER_OWN.annoyed for c in compounds) / len(texts):.1%}",
            f"{sum(c <= -tuned.annoyed for c in compounds) / len(texts):.1%}",
        )
    return [text for text, _ in rows]


def evaluate_cost(
    report: Report,
    analyzer: TurnAnalyzer,
    vader: SentimentIntensityAnalyzer,
    texts: Sequence[str],
    turns: int,
) -> None:
    """Median time per message over `turns` messages (the texts, cycled)."""
    sample = [texts[i % len(texts)] for i in range(turns)]
    for text in sample[:50]:
        analyzer.analyze(text)
    report.heading(f"Time per analysed message, median over {turns}", "ours", "VADER")
    report.row(
        "microseconds",
        f"{median_microseconds(analyzer.analyze, sample):.0f}",
        f"{median_microseconds(vader.polarity_scores, sample):.0f}",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Prints every figure; exit code 2 when data is missing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="at most N rows per VADER file and of Bitext")
    parser.add_argument("--turns", type=int, default=5000, help="messages timed (default 5000)")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--labelled", type=Path, default=DEFAULT_LABELLED)
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1 or args.turns < 1:
        parser.error("--limit and --turns must be at least 1")

    settings = load_frustration_settings()
    analyzer = TurnAnalyzer(settings)
    vader = SentimentIntensityAnalyzer()
    report = Report()
    try:
        evaluate_vader_files(report, analyzer, vader, args.data_dir / "vader", args.limit)
        tuned = evaluate_labelled(report, analyzer, vader, settings, args.labelled)
        texts = evaluate_bitext(
            report, analyzer, vader, settings, tuned, args.data_dir / "bitext", args.limit
        )
        labelled = [text for pairs in read_labelled(args.labelled).values() for text, _ in pairs]
        evaluate_cost(report, analyzer, vader, labelled + texts, args.turns)
    except EvaluationError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
