"""Per-intent precision and recall on the project's own NLU test split.

The split (evaluation/data/nlu_test_split.yml) holds sentences written for testing only: the
model never trained on them (tests/test_nlu_split.py checks none is in data/). Blank and
code-like messages are included, so the NLU guard (nlu_guard/) is measured with the model.

    python -m evaluation.own_nlu [--model PATH] [--split FILE]

Figures are printed, never asserted: the exit code is 0 unless the model or split is missing.
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


async def predict(agent: Any, rows: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """(expected, predicted) for every row, parsed as the server would."""
    pairs = []
    for text, intent in rows:
        parsed = await agent.parse_message(text)
        pairs.append((intent, parsed["intent"]["name"] or "None"))
    return pairs


def print_report(rows: Sequence[tuple[str, str]], pairs: Sequence[tuple[str, str]]) -> None:
    """Accuracy, the per-intent table, then every miss."""
    accuracy = sum(e == p for e, p in pairs) / len(pairs)
    print("\n== Own NLU test split ==")
    print(f"accuracy: {accuracy:.3f} (n={len(pairs)})")
    print(f"\n{'intent':<16} {'precision':>9} {'recall':>7} {'n':>4}")
    for score in scores(pairs):
        print(f"{score.intent:<16} {score.precision:>9.3f} {score.recall:>7.3f} {score.support:>4}")
    misses = [(text, e, p) for (text, _), (e, p) in zip(rows, pairs, strict=True) if e != p]
    if misses:
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
    print_report(rows, asyncio.run(predict(agent, rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
