"""The mood test part's figures: evaluation/data/mood_test.yml, customer turns labelled calm /
annoyed / frustrated in short chats with the assistant (mood/LABELLING.md), each scored with
the chat's earlier lines as the action server reads them from the tracker
(`DialogueSignals.of`: corrections, the customer's own request repeated, a short denial after
an answer) and, for comparison, as text alone.

- 3-class macro-F1 of the message's level;
- frustrated-level recall of the turns labelled frustrated;
- share of the turns labelled calm that reach the frustrated level.

    python -m evaluation.mood_test_part

The test part only measures: never train or tune on it. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from contract.slots import CALM, FRUSTRATED, LEVELS
from evaluation.mood_figures import macro_f1, row
from mood.analyzer import DialogueSignals, TurnAnalyzer
from mood.dialogue import BOT, USER, Line
from mood.settings import load_frustration_settings

MOOD_TEST = Path(__file__).resolve().parent / "data" / "mood_test.yml"


@dataclass(frozen=True)
class LabelledTurn:
    """One customer turn, the lines before it in its scenario and its label."""

    earlier: tuple[Line, ...]
    text: str
    label: str


def scenario_turns(path: Path, key: str) -> list[tuple[tuple[Line, ...], str, Any]]:
    """Every customer turn of a scenario file that has `key`, in order, as (the lines before it,
    its text, its `key` value); customer lines without `key` count as context only."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    found: list[tuple[tuple[Line, ...], str, Any]] = []
    for scenario in raw["scenarios"]:
        earlier: list[Line] = []
        for turn in scenario["turns"]:
            if BOT in turn:
                earlier.append(Line(BOT, str(turn[BOT])))
                continue
            text = str(turn[USER])
            if key in turn:
                found.append((tuple(earlier), text, turn[key]))
            earlier.append(Line(USER, text))
    return found


def read_scenarios(path: Path) -> list[LabelledTurn]:
    """Every labelled customer turn of the file, in order; unlabelled customer lines count as
    context only."""
    found = [
        LabelledTurn(earlier, text, label)
        for earlier, text, label in scenario_turns(path, "label")
        if label is not None
    ]
    unknown = sorted({t.label for t in found} - set(LEVELS))
    if unknown:
        raise ValueError(f"{path}: unknown label {unknown[0]!r}")
    return found


def figures(predicted: Sequence[str], expected: Sequence[str]) -> tuple[str, str, str]:
    """Macro-F1, frustrated recall and the share of calm turns at frustrated, formatted."""
    pairs = list(zip(predicted, expected, strict=True))
    frustrated = [p for p, e in pairs if e == FRUSTRATED]
    calm = [p for p, e in pairs if e == CALM]
    return (
        f"{macro_f1(predicted, expected):.3f}",
        f"{sum(p == FRUSTRATED for p in frustrated) / len(frustrated):.3f}",
        f"{sum(p == FRUSTRATED for p in calm) / len(calm):.3f}",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Prints the figures with the dialogue's signals and with the text alone."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--test-file", type=Path, default=MOOD_TEST)
    args = parser.parse_args(argv)
    settings = load_frustration_settings()
    analyzer = TurnAnalyzer(settings)
    turns = read_scenarios(args.test_file)
    texts = [t.text for t in turns]
    expected = [t.label for t in turns]
    print(f"\nMood test part ({len(turns)} customer turns): levels of each turn")
    row("", "macro-F1", "frustrated rec.", "calm at frustr.")
    for name, signals in (
        ("with the dialogue", [DialogueSignals.of(t.earlier, t.text) for t in turns]),
        ("text alone", None),
    ):
        scores = analyzer.analyze_batch(texts, signals)
        row(name, *figures([settings.levels.level_of(s.frustration) for s in scores], expected))
    return 0


if __name__ == "__main__":
    sys.exit(main())
