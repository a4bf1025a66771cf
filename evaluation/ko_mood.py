"""Korean mood figures on the held-out Korean mood test part (evaluation/data/ko_mood_test.yml):
the English analyser alone, with the Korean cues (mood/korean.py), and with the cues and the
model trained on KOTE (what the assistant runs).

    python -m evaluation.ko_mood [--split FILE]

--split tests/data/ko_frustration_tuning.yml gives the tuning part's figures: part of the
training turns the Korean model, config/mood_ko.yml's `model` and the Korean cut points are
chosen on (mood/training/train_korean_support_model.py), so in-sample.

Per message: the level (calm / annoyed / frustrated) against the label (accuracy, macro-F1),
and ROC AUC of the frustration score for "not calm" and for "frustrated". Figures are printed,
never asserted; the test part is never used to write or tune the cue lists.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import yaml

from evaluation.mood_figures import macro_f1, roc_auc
from mood.analyzer import TurnAnalyzer
from mood.korean import korean_reading, with_korean_cues
from mood.settings import load_frustration_settings

DEFAULT_SPLIT = Path(__file__).resolve().parent / "data" / "ko_mood_test.yml"


def read_split(path: Path) -> list[tuple[str, str]]:
    """(text, label) for every message of the file."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [(str(m["text"]), str(m["label"])) for m in raw["messages"]]


def report(name: str, rows: Sequence[tuple[str, str]], score: Callable[[str], float]) -> None:
    """One line of figures for one scorer."""
    settings = load_frustration_settings()
    scores = [score(text) for text, _ in rows]
    labels = [label for _, label in rows]
    levels = [settings.levels.level_of(s) for s in scores]
    accuracy = sum(p == e for p, e in zip(levels, labels, strict=True)) / len(rows)
    upset = roc_auc(scores, [label != "calm" for label in labels])
    angry = roc_auc(scores, [label == "frustrated" for label in labels])
    print(
        f"{name:<28} accuracy {accuracy:.3f}  macro-F1 {macro_f1(levels, labels):.3f}  "
        f"AUC not-calm {upset:.3f}  AUC frustrated {angry:.3f}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Prints the figures of both scorers."""
    parser = argparse.ArgumentParser(prog="python -m evaluation.ko_mood", description=__doc__)
    parser.add_argument("--split", type=Path, default=DEFAULT_SPLIT)
    args = parser.parse_args(argv)
    if not args.split.is_file():
        print(f"error: {args.split} not found", file=sys.stderr)
        return 2
    rows = read_split(args.split)
    settings = load_frustration_settings()
    analyzer = TurnAnalyzer(settings)
    print(f"== Korean mood, {args.split.name}: {len(rows)} messages ==")
    report("English analyser alone", rows, lambda t: analyzer.analyze(t).frustration)
    reading = korean_reading()
    cues_only = replace(reading, model=None)
    report(
        "with Korean cues",
        rows,
        lambda t: with_korean_cues(analyzer.analyze(t), t, settings, cues_only).frustration,
    )
    report(
        "with Korean cues and model",
        rows,
        lambda t: with_korean_cues(analyzer.analyze(t), t, settings, reading).frustration,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
