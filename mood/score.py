"""Scores customer messages from stdin: one JSON object per line on stdout, nothing else.

    make score                  # python -m mood.score
    make score-conversations    # python -m mood.score --conversations

Input is UTF-8 text, one customer message per line. Each output line is
`{"sentiment": -1..1, "frustration": 0..1, "level": "calm"|"annoyed"|"frustrated",
"reasons": [...]}` for that input line, in order. With --conversations, a blank line ends a
conversation (and is not scored), and each message's object adds the conversation's smoothed
score and level so far, and whether and why a handoff would trigger at that turn
(`"handoff": true|false, "handoff_reason": "frustration"|"repeated_contact"|null`). Only the
text is known here, so the triggers are the mood, claims of earlier contact, and the same
message sent again (a repeated request); intents and the contact history need the assistant.
Setup messages, if any, go to stderr.
"""

from __future__ import annotations

import sys
import types

if __name__ == "__main__":
    # spaCy's thinc imports TensorFlow whenever it is installed (Rasa needs it): about 4 s of
    # CPU at every start, for a blank pipeline that never uses it. A None entry makes that
    # import fail at once and thinc goes on without it; only this command's process is affected.
    sys.modules.setdefault("tensorflow", None)  # type: ignore[arg-type]  # None blocks it
    # spaCy's package also imports its command-line interface (typer, the config and data
    # debugging commands, language tables) for the one name `spacy.info`, which this command
    # never calls: 0.3-0.45 s of a start-up of about 1.6 s, serial before any worker runs.
    _cli_info = types.ModuleType("spacy.cli.info")
    _cli_info.info = None  # type: ignore[attr-defined]  # the name spacy/__init__.py imports
    sys.modules.setdefault("spacy.cli", types.ModuleType("spacy.cli"))
    sys.modules.setdefault("spacy.cli.info", _cli_info)

import argparse  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import multiprocessing  # noqa: E402
import os  # noqa: E402
from collections.abc import Callable, Iterable, Iterator, Sequence  # noqa: E402
from typing import Any, BinaryIO, TypeVar  # noqa: E402

from mood.analyzer import DialogueSignals, TurnAnalyzer, TurnScore, plain_words  # noqa: E402
from mood.conversation import ConversationMood  # noqa: E402
from mood.settings import FrustrationSettings, load_frustration_settings  # noqa: E402

BATCH_LINES = 512
"""At most this many lines are scored at once (the models weigh a batch with numpy)."""
_READ_SIZE = 1 << 16

Job = tuple[list[str], list[DialogueSignals]]
"""A batch of lines and what the conversation says about each."""
Scored = tuple[list[str], list[TurnScore]]


def line_batches(stream: BinaryIO, size: int = BATCH_LINES) -> Iterator[list[str]]:
    """The input's lines (UTF-8; "\\n", "\\r\\n" or "\\r" ends one), in batches of the lines
    already available: it never waits for more input before handing over what it has, so a
    person typing gets each answer at once while a pipe is read in large batches."""
    pending = b""
    after_cr = False  # the last batch ended with "\\r": a "\\n" right after belongs to it
    while chunk := stream.read1(_READ_SIZE):  # type: ignore[attr-defined]  # buffered stdin
        if after_cr and chunk.startswith(b"\n"):
            chunk = chunk[1:]
        pending += chunk
        after_cr = pending.endswith(b"\r")
        end = max(pending.rfind(b"\n"), pending.rfind(b"\r")) + 1
        if end == 0:
            continue
        lines = [line.decode("utf-8") for line in pending[:end].splitlines()]
        pending = pending[end:]
        for start in range(0, len(lines), size):
            yield lines[start : start + size]
    if pending:
        yield [pending.decode("utf-8")]


def conversation_jobs(batches: Iterable[list[str]]) -> Iterator[Job]:
    """`make score-conversations`: a message the conversation has seen is a repeated request;
    a blank line ends the conversation (its own signals are never used)."""
    seen: set[str] = set()
    for lines in batches:
        signals = []
        for text in lines:
            if not text.strip():
                seen = set()
            words = plain_words(text)
            signals.append(DialogueSignals(repeated_request=words in seen))
            seen.add(words)
        yield lines, signals


_worker_state: list[tuple[TurnAnalyzer, FrustrationSettings]] = []
"""The analyser and settings a worker process inherited from its parent (built before the fork)."""

T = TypeVar("T")
R = TypeVar("R")


def in_order(
    task: Callable[[T], R],
    items: Iterable[T],
    analyzer: TurnAnalyzer,
    settings: FrustrationSettings,
    workers: int,
) -> Iterator[R]:
    """`task` of each item, in order. With several workers the items are handled in forked
    processes that share the loaded analyser; a message's score depends only on its text and
    signals, so the output is the same with any number of workers."""
    _worker_state[:] = [(analyzer, settings)]
    if workers <= 1:
        yield from map(task, items)
        return
    # The analyser's objects are never freed; left to the collector, its passes would touch
    # (and so copy) the pages the workers share with this process: a third more page copies.
    gc.freeze()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(task, items)


def scored_messages(lines: list[str]) -> str:
    """`make score`: the output lines of a batch, each line a message of its own. Formatted
    where it is scored, so a worker hands back one string instead of an object per line."""
    analyzer, settings = _worker_state[0]
    return json_lines(message_record(turn, settings) for turn in analyzer.analyze_batch(lines))


def scored_job(job: Job) -> Scored:
    """A batch of conversation lines and their scores (the conversation's state after each
    needs every batch before it, so the records are made in order, by the caller)."""
    return job[0], _worker_state[0][0].analyze_batch(*job)


def json_lines(records: Iterable[dict[str, Any]]) -> str:
    """One JSON object per line."""
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


def message_record(turn: TurnScore, settings: FrustrationSettings) -> dict[str, Any]:
    """The JSON object of one scored message."""
    return {
        "sentiment": round(turn.sentiment, 4),
        "frustration": round(turn.frustration, 4),
        "level": settings.levels.level_of(turn.frustration),
        "reasons": list(turn.reasons),
    }


def conversation_records(
    scored: Iterable[Scored], settings: FrustrationSettings
) -> Iterator[list[dict[str, Any]]]:
    """One record per non-blank line, with the conversation's state after it; a list per batch."""
    mood = ConversationMood.initial()
    for texts, turns in scored:
        records = []
        for text, turn in zip(texts, turns, strict=True):
            if not text.strip():
                mood = ConversationMood.initial()
                continue
            mood = mood.update(turn, settings)
            reason = None
            if turn.claims_earlier_contact:
                reason = "repeated_contact"
            elif mood.should_hand_over(settings):
                reason = "frustration"
            records.append(
                {
                    **message_record(turn, settings),
                    "smoothed": round(mood.smoothed, 4),
                    "conversation_level": mood.level,
                    "handoff": reason is not None,
                    "handoff_reason": reason,
                }
            )
        yield records


def main(argv: Sequence[str] | None = None, stdin: BinaryIO | None = None) -> int:
    """Reads stdin to the end, writing (and flushing) each batch's lines as soon as scored."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", action="store_true", help="blank lines separate")
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="processes that score batches (default: one per CPU; 1 scores in this process)",
    )
    args = parser.parse_args(argv)
    settings = load_frustration_settings()
    analyzer = TurnAnalyzer(settings)
    batches = line_batches(stdin if stdin is not None else sys.stdin.buffer)
    texts: Iterable[str]
    if args.conversations:
        scored = in_order(scored_job, conversation_jobs(batches), analyzer, settings, args.workers)
        texts = map(json_lines, conversation_records(scored, settings))
    else:
        texts = in_order(scored_messages, batches, analyzer, settings, args.workers)
    out = sys.stdout
    for text in texts:
        if text:
            out.write(text)
            out.flush()
    return 0


if __name__ == "__main__":
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    sys.exit(main())
