"""Per-intent precision and recall, and a confusion matrix, on a held-out NLU split.

The default split (evaluation/data/nlu_test_split.yml) holds sentences written for testing
only: the model never trained on them (tests/test_nlu_split.py checks none is in data/). Blank
and code-like messages are included, so the NLU guard is measured with the model.

    python -m evaluation.own_nlu [--model PATH] [--split FILE]

Any file of the same shape (a mapping intent -> list of messages, every entry quoted) can be
measured with --split, e.g. the paraphrase sets:

    python -m evaluation.own_nlu --split evaluation/data/paraphrase_dev.yml
    python -m evaluation.own_nlu --split evaluation/data/paraphrase_test.yml

paraphrase_dev.yml, paraphrase_dev2.yml (a third writer's, for when the first dev set is
saturated) and understanding_dev.yml (grumbles, upset out-of-scope remarks, the hard request
pairs) are the sets to tune against, as is ko_nlu_dev2.yml for Korean; paraphrase_test.yml is
the held-out judgement, measured once a change is done, never tuned against.

The report: accuracy, precision and recall per expected intent, the confusion matrix (rows =
expected intent, columns = predicted intent, `nlu_fallback` always among the columns), then,
for a dev split only, every miss with its sentence. A held-out split (any file whose name holds
"test") never has its sentences printed: read on screen, they would shape the next round of
training data and the held-out figure would stop meaning anything. Figures are printed, never
asserted: the exit code is 0 unless the model or split is missing.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from evaluation.bitext_nlu import DEFAULT_MODEL, EvaluationError, load_agent

DEFAULT_SPLIT = Path(__file__).resolve().parent / "data" / "nlu_test_split.yml"
PARAPHRASE_DEV = Path(__file__).resolve().parent / "data" / "paraphrase_dev.yml"
# Written by a third writer who saw neither the training data nor the held-out sets (issue 22).
PARAPHRASE_DEV2 = PARAPHRASE_DEV.with_name("paraphrase_dev2.yml")
# Grumbles, upset out-of-scope remarks and the hard request pairs (issue 22); tuned against too.
UNDERSTANDING_DEV = Path(__file__).resolve().parent / "data" / "understanding_dev.yml"
FALLBACK = "nlu_fallback"


@dataclass(frozen=True)
class Scores:
    """One intent's figures."""

    intent: str
    precision: float
    recall: float
    support: int


def load_split(path: Path) -> list[tuple[str, str]]:
    """(text, expected intent) pairs from the split file."""
    if not path.is_file():
        raise EvaluationError(f"NLU test split not found: {path}")
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    rows = [(text, intent) for intent, texts in raw.items() for text in texts]
    odd = [text for text, _ in rows if not isinstance(text, str)]
    if odd:
        raise EvaluationError(f"{path}: quote these entries, YAML read them as {odd!r}")
    return rows


def is_held_out(path: Path) -> bool:
    """Whether the split is a held-out test set (nlu_test_split.yml, paraphrase_test.yml,
    ko_nlu_test.yml, ...), whose sentences must stay off screens."""
    return "test" in path.stem.lower()


def scores(pairs: Sequence[tuple[str, str]]) -> list[Scores]:
    """Precision and recall per expected intent from (expected, predicted) pairs."""
    predicted = Counter(p for _, p in pairs)
    expected = Counter(e for e, _ in pairs)
    hits = Counter(e for e, p in pairs if e == p)
    return [
        Scores(
            intent,
            hits[intent] / predicted[intent] if predicted[intent] else 0.0,
            hits[intent] / expected[intent],
            expected[intent],
        )
        for intent in sorted(expected)
    ]


@dataclass(frozen=True)
class Confusion:
    """Counts of (expected, predicted) pairs: one row per expected intent, one column per
    predicted intent."""

    rows: list[str]
    columns: list[str]
    counts: list[list[int]]

    def cell(self, expected: str, predicted: str) -> int:
        """How often `expected` was read as `predicted` (0 for a pair never seen)."""
        if expected not in self.rows or predicted not in self.columns:
            return 0
        return self.counts[self.rows.index(expected)][self.columns.index(predicted)]


def confusion_matrix(pairs: Sequence[tuple[str, str]]) -> Confusion:
    """Rows: the expected intents, sorted. Columns: the same intents in the same order, then
    any other predicted intent (sorted), then `nlu_fallback`, which is always a column."""
    rows = sorted({e for e, _ in pairs})
    extra = sorted({p for _, p in pairs} - set(rows) - {FALLBACK})
    columns = [r for r in rows if r != FALLBACK] + extra + [FALLBACK]
    counted = Counter(pairs)
    return Confusion(rows, columns, [[counted[(r, c)] for c in columns] for r in rows])


def format_confusion(confusion: Confusion) -> list[str]:
    """The matrix as text lines: columns are numbered (legend below), zeros shown as '.'."""
    corner = "expected \\ predicted"
    width = max(len(corner), *(len(r) for r in confusion.rows))
    head = " ".join(f"{i:>3}" for i in range(1, len(confusion.columns) + 1))
    lines = [f"{corner:<{width}} {head}"]
    for row, counts in zip(confusion.rows, confusion.counts, strict=True):
        cells = " ".join(f"{n:>3}" if n else "  ." for n in counts)
        lines.append(f"{row:<{width}} {cells}")
    lines.append("columns: " + ", ".join(f"{i}={c}" for i, c in enumerate(confusion.columns, 1)))
    return lines


async def predict(agent: Any, rows: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """(expected, predicted) for every row, parsed as the server would."""
    pairs = []
    for text, intent in rows:
        parsed = await agent.parse_message(text)
        pairs.append((intent, parsed["intent"]["name"] or "None"))
    return pairs


def print_report(
    rows: Sequence[tuple[str, str]],
    pairs: Sequence[tuple[str, str]],
    name: str = "split",
    show_misses: bool = True,
) -> None:
    """Accuracy, the per-intent table, the confusion matrix, then every miss when asked."""
    accuracy = sum(e == p for e, p in pairs) / len(pairs)
    print(f"\n== NLU split: {name} ==")
    print(f"accuracy: {accuracy:.3f} (n={len(pairs)})")
    print(f"\n{'intent':<16} {'precision':>9} {'recall':>7} {'n':>4}")
    for score in scores(pairs):
        print(f"{score.intent:<16} {score.precision:>9.3f} {score.recall:>7.3f} {score.support:>4}")
    print("\n-- confusion matrix (rows: expected, columns: predicted) --")
    for line in format_confusion(confusion_matrix(pairs)):
        print(line)
    misses = [(text, e, p) for (text, _), (e, p) in zip(rows, pairs, strict=True) if e != p]
    if misses and not show_misses:
        print(f"\n({len(misses)} misses; sentences not shown: held-out split)")
    elif misses:
        print("\n-- misses --")
        for text, expected, got in misses:
            print(f"  {expected:<15} got {got:<15} {text!r}")


def main(argv: Sequence[str] | None = None) -> int:
    """Loads split and model, parses, prints the figures."""
    parser = argparse.ArgumentParser(prog="python -m evaluation.own_nlu", description=__doc__)
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--split", type=Path, default=DEFAULT_SPLIT)
    args = parser.parse_args(argv)
    try:
        rows = load_split(args.split)
        agent = load_agent(args.model)
    except EvaluationError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    pairs = asyncio.run(predict(agent, rows))
    print_report(rows, pairs, args.split.name, show_misses=not is_held_out(args.split))
    return 0


if __name__ == "__main__":
    sys.exit(main())
