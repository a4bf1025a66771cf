"""`python -m benchmarks.tracker_reads` reads every length back both ways and prints its figures."""

from __future__ import annotations

import re

import pytest

from benchmarks.tracker_reads import main

LINE = re.compile(
    r"^(\d+) turns, (\d+) events: read from Redis [\d.]+ ms \(min [\d.]+\), "
    r"kept tracker [\d.]+ ms \(min [\d.]+\), save [\d.]+ ms \(min [\d.]+\)$"
)


def test_one_line_of_figures_per_conversation_length(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--turns", "1,3", "--repeats", "2"])

    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    found = [LINE.match(line) for line in lines]
    assert all(found), lines
    assert [(m.group(1), m.group(2)) for m in found if m] == [("1", "10"), ("3", "26")]
