"""Every per-message mood figure with the full score next to each of its parts alone.

The full frustration score should rank upset customers at least as well as its best part on
every set; this prints, per set, the full score and each part alone (`TurnAnalyzer.parts`: the
GoEmotions model, the support-chat model, plain VADER, the explicit cues summed). Sets:

- the mood test part (evaluation/data/mood_test.yml, 922 customer turns of short chats, each
  read as text alone, as `make score` reads it): 3-class macro-F1, frustrated-level recall of
  frustrated turns, share of calm turns at frustrated; ROC AUC of upset (annoyed or frustrated)
  vs calm and of frustrated vs the rest;
- the labelled set's held-out part (tests/data): the same;
- GoEmotions test (anger, annoyance, disappointment, disapproval, disgust vs the rest): AUC;
- Bitext rows tagged W (offensive) vs the rest: AUC.

    python -m evaluation.mood_parts [--data-dir DIR]

Test sets only measure: never train or tune on them. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from contract.slots import ANNOYED, CALM, FRUSTRATED
from evaluation.mood_figures import macro_f1, read_goemotions, roc_auc, row
from evaluation.mood_test_part import MOOD_TEST, read_scenarios
from evaluation.sentiment_eval import DEFAULT_DATA_DIR, DEFAULT_LABELLED, read_bitext, read_labelled
from mood.analyzer import TurnAnalyzer
from mood.settings import Levels, load_frustration_settings

PARTS = ("full", "GoEmotions", "support", "VADER", "cues")


def scores(analyzer: TurnAnalyzer, texts: Sequence[str]) -> dict[str, list[float]]:
    """The full score and each part alone, per message."""
    parts = analyzer.parts(texts)
    found = {name: [p[name] for p in parts] for name in PARTS[1:]}
    found["full"] = [turn.frustration for turn in analyzer.analyze_batch(texts)]
    return found


def auc_row(label: str, scored: dict[str, list[float]], flags: Sequence[bool]) -> None:
    """ROC AUC of the full score and each part."""
    row(label, *(f"{roc_auc(scored[p], flags):.4f}" for p in PARTS))


def labelled(
    title: str, analyzer: TurnAnalyzer, levels: Levels, pairs: Sequence[tuple[str, str]]
) -> None:
    """Levels of the full score, then ranking of upset and of frustrated turns."""
    labels = [label for _, label in pairs]
    scored = scores(analyzer, [text for text, _ in pairs])
    got = [levels.level_of(score) for score in scored["full"]]
    frustrated = [g for g, want in zip(got, labels, strict=True) if want == FRUSTRATED]
    calm = [g for g, want in zip(got, labels, strict=True) if want == CALM]
    print(
        f"\n{title} ({len(pairs)}): macro-F1 {macro_f1(got, labels):.3f}; frustrated at "
        f"frustrated {frustrated.count(FRUSTRATED) / len(frustrated):.1%}; calm at frustrated "
        f"{calm.count(FRUSTRATED) / len(calm):.1%}"
    )
    row("", *PARTS)
    auc_row("upset vs calm, ROC AUC", scored, [lv in (ANNOYED, FRUSTRATED) for lv in labels])
    auc_row("frustrated vs rest, ROC AUC", scored, [lv == FRUSTRATED for lv in labels])


def main(argv: Sequence[str] | None = None) -> int:
    """Prints every figure, full score beside each part."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    args = parser.parse_args(argv)
    settings = load_frustration_settings()
    analyzer = TurnAnalyzer(settings)
    test_part = [(turn.text, turn.label) for turn in read_scenarios(MOOD_TEST)]
    labelled("Mood test part, text alone", analyzer, settings.levels, test_part)
    held_out = read_labelled(DEFAULT_LABELLED)["held_out"]
    labelled("Labelled set, held-out part", analyzer, settings.levels, held_out)
    print("\nRanking upset messages of outside sets: ROC AUC")
    row("", *PARTS)
    for name, rows in (
        ("GoEmotions test", read_goemotions(args.data_dir / "goemotions")),
        ("Bitext W vs rest", read_bitext(args.data_dir / "bitext")),
    ):
        flags = [flag for _, flag in rows]
        auc_row(f"{name} ({sum(flags)}/{len(rows)})", scores(analyzer, [t for t, _ in rows]), flags)
    return 0


if __name__ == "__main__":
    sys.exit(main())
