"""`make score`'s throughput on text it has never seen: lines per second, wall and per CPU-second.

    .venv/bin/python -m benchmarks.score_throughput [--lines 40000] [--seed 1] [--workers N]

The lines are made up here at random (`fresh_lines`), so no line repeats and nothing is cached
from an earlier run: chat-like words (14 per line on average), a sentiment word of VADER's
lexicon about one word in eight (as in real comments), made-up words and order numbers,
capitals, and punctuation including runs of '!'/'?'. The whole command is timed, start-up
included, as a shop would run it. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import vaderSentiment

_CHAT_WORDS = """
i my me the a an to is it was not no yes please order refund parcel delivery where when why
how what can you help with this that still again already told said want need cancel account
money back card payment charged twice wrong item size return label address email phone number
hi hello thanks thank ok okay sorry but and or so just now today yesterday week days waiting
arrived received missing broken damaged late tracking update change password login code person
human agent manager chat bot answer question problem issue doesn't don't didn't can't won't
isn't i'm you're it's we they he she have has had do does did be been am are were for of in on
at from by about after before since until your our their its any some every third time writing
""".split()
_ENDINGS = ("", "", ".", "?", "!", "!!!", "???", " :)", " 🙂")
_MARKS = (",", ".", "!", "?", ";", "...")


def _lexicon_words() -> list[str]:
    """The single words of VADER's lexicon (read from the installed package)."""
    path = Path(vaderSentiment.__file__).parent / "vader_lexicon.txt"
    rows = path.read_text(encoding="utf-8").splitlines()
    return [word for word in (row.split("\t")[0] for row in rows) if word.isalpha()]


def fresh_lines(count: int, seed: int) -> list[str]:
    """`count` made-up customer-like lines (the same for the same seed)."""
    rng = random.Random(seed)
    lexicon = _lexicon_words()
    letters = "abcdefghijklmnopqrstuvwxyz"

    def word() -> str:
        draw = rng.random()
        if draw < 0.83:
            text = rng.choice(_CHAT_WORDS)
        elif draw < 0.95:
            text = rng.choice(lexicon)
        elif draw < 0.98:
            text = "".join(rng.choice(letters) for _ in range(rng.randint(3, 9)))
        else:
            text = str(rng.randint(10000, 99999))
        if rng.random() < 0.05:
            return text.upper()
        return text.capitalize() if rng.random() < 0.08 else text

    lines = []
    for _ in range(count):
        words = [word() for _ in range(rng.randint(2, 25))]
        for i in range(len(words) - 1):
            if rng.random() < 0.08:
                words[i] += rng.choice(_MARKS)
        lines.append(" ".join(words) + rng.choice(_ENDINGS))
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Times `python -m mood.score` over fresh lines."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=40_000)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--workers", type=int, help="passed on to mood.score")
    args = parser.parse_args(argv)
    command = [sys.executable, "-m", "mood.score"]
    if args.workers is not None:
        command += ["--workers", str(args.workers)]
    with tempfile.TemporaryFile() as text:
        text.write(("\n".join(fresh_lines(args.lines, args.seed)) + "\n").encode("utf-8"))
        text.seek(0)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(command, stdin=text, capture_output=True, check=True)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    answered = done.stdout.count(b"\n")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    print(f"{' '.join(command[1:])}: {answered} fresh lines (seed {args.seed})")
    print(f"  wall {wall:.2f} s: {answered / wall:,.0f} lines/s")
    print(f"  CPU {cpu:.2f} s (all processes): {answered / cpu:,.0f} lines per CPU-second")
    return 0 if answered == args.lines else 1


if __name__ == "__main__":
    sys.exit(main())
