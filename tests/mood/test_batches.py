"""`make score` scores lines in batches (and in worker processes); a message must score exactly
as the action server scores it alone, and an interactive user must get each answer at once."""

from __future__ import annotations

import io
import json
import select
import subprocess
import sys
from pathlib import Path

from benchmarks.score_throughput import fresh_lines
from mood.analyzer import DialogueSignals, TurnAnalyzer
from mood.score import line_batches

ROOT = Path(__file__).resolve().parents[2]


def test_a_batch_scores_every_message_as_the_action_server_does_alone(
    analyzer: TurnAnalyzer,
) -> None:
    lines = fresh_lines(400, seed=20261130) + ["", "ok", "no thanks", "f***", "   "]
    signals = [DialogueSignals(repeated_request=i % 7 == 0) for i in range(len(lines))]
    alone = [analyzer.analyze(text, s) for text, s in zip(lines, signals, strict=True)]
    assert analyzer.analyze_batch(lines, signals) == alone
    halves = analyzer.analyze_batch(lines[1::2]) + analyzer.analyze_batch(lines[::2])
    assert halves == [analyzer.analyze(text) for text in lines[1::2] + lines[::2]]


def score(text: str, *args: str) -> str:
    """`python -m mood.score` with the arguments, stdout as text."""
    done = subprocess.run(
        [sys.executable, "-m", "mood.score", *args],
        cwd=ROOT,
        input=text.encode("utf-8"),
        capture_output=True,
        timeout=600,
        check=True,
    )
    return done.stdout.decode("utf-8")


def test_worker_processes_answer_exactly_as_one_process() -> None:
    text = "\n".join(fresh_lines(1500, seed=7)) + "\n"
    one = score(text, "--workers", "1")
    assert score(text, "--workers", "2") == one
    assert len(one.splitlines()) == 1500
    conversations = text.replace("!!!\n", "!!!\n\n")
    assert score(conversations, "--conversations", "--workers", "2") == score(
        conversations, "--conversations", "--workers", "1"
    )


def test_each_line_is_answered_before_the_next_is_typed() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "mood.score"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        for line in ("where is my order?", "WHERE IS MY REFUND???"):
            process.stdin.write(line.encode("utf-8") + b"\n")
            process.stdin.flush()
            ready, _, _ = select.select([process.stdout], [], [], 120)
            assert ready, "no answer while the input stays open"
            assert set(json.loads(process.stdout.readline())) == {
                "sentiment",
                "frustration",
                "level",
                "reasons",
            }
        process.stdin.close()
        assert process.wait(timeout=60) == 0
        assert process.stdout.read() == b""
    finally:
        process.kill()
        process.wait()


class Trickle(io.RawIOBase):
    """A stream that hands over three bytes per read, as a pipe may (here "\\r" and "\\n",
    and the bytes of one character, arrive in different reads)."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def readable(self) -> bool:
        return True

    def read1(self, size: int = -1) -> bytes:
        chunk, self._data = self._data[:3], self._data[3:]
        return chunk


def test_lines_end_as_in_text_mode_however_the_input_is_cut() -> None:
    data = "xa\r\nbé\rc\n\nd\u2028e\r\r\nlast".encode()
    expected = [line.rstrip("\r\n") for line in io.TextIOWrapper(io.BytesIO(data), "utf-8")]
    batches = list(line_batches(Trickle(data), size=2))  # type: ignore[arg-type]
    assert [line for batch in batches for line in batch] == expected
    assert all(len(batch) <= 2 for batch in batches)
