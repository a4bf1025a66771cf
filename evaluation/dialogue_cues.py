"""How well the dialogue cues (mood/dialogue.py) find corrections, repeated requests and short
denials after an answer, on task dialogues written for that (evaluation/data/dialogue_cues.yml).

For each cue: the turns it should fire on, how many of those it fires on (recall), and how
many of the turns it fires on should have fired it (precision). Turns listed with no cues
count for every cue as turns it must leave alone.

    python -m evaluation.dialogue_cues

Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from evaluation.mood_figures import row
from evaluation.mood_test_part import scenario_turns
from mood.dialogue import TextSignals, text_signals

DIALOGUES = Path(__file__).resolve().parent / "data" / "dialogue_cues.yml"
CUE_NAMES = tuple(asdict(TextSignals()))


def fired(signals: TextSignals) -> set[str]:
    """The names of the cues that fired."""
    return {name for name, on in asdict(signals).items() if on}


def main(argv: Sequence[str] | None = None) -> int:
    """Prints each cue's counts, recall and precision."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DIALOGUES)
    args = parser.parse_args(argv)
    turns = scenario_turns(args.file, "cues")
    unknown = {c for _, _, cues in turns for c in cues} - set(CUE_NAMES)
    if unknown:
        raise ValueError(f"{args.file}: unknown cue {sorted(unknown)[0]!r}")
    found = [(set(cues), fired(text_signals(earlier, text))) for earlier, text, cues in turns]
    print(f"\nDialogue cues on {len(turns)} written customer turns")
    row("", "should fire", "recall", "precision")
    for cue in CUE_NAMES:
        hits = sum(cue in want and cue in got for want, got in found)
        should = sum(cue in want for want, _ in found)
        fires = sum(cue in got for _, got in found)
        precision = f"{hits / fires:.2f}" if fires else "-"
        row(cue, str(should), f"{hits}/{should}", precision)
    missed = [
        (text, sorted(want), sorted(got))
        for (_, text, _), (want, got) in zip(turns, found, strict=True)
        if want != got
    ]
    for text, want, got in missed:
        print(f"  {text!r}: expected {want}, fired {got}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
