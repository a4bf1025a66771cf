"""A part's log never holds a card number, an email or a phone number, and never grows
without bound: a real child process writes them, the launcher's log is read back."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from launcher.process import Child, Service

CHATTY = """
import sys
print("ERROR message from customer: my card is 4111 1111 1111 1111, mail jo@example.com")
print("call me on +44 20 7946 0958 about order 10003")
print("x" * 200_000)
for n in range(3000):
    print(f"2026-01-01 10:00:00 INFO line {n} " + "y" * 80)
"""


def run_to_end(tmp_path: Path, code: str) -> Path:
    """Runs `code` as a part and waits until its output is fully written."""
    service = Service(
        name="chatty", argv=[sys.executable, "-c", code], ready=lambda: True, listens="-"
    )
    child = Child(service, tmp_path / "logs", tmp_path)
    child.start(dict(os.environ))
    pump = child.log_pump
    assert pump is not None
    pump.join(timeout=60)
    return child.log_path


def test_logs_are_masked_cut_and_rotated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOG_MAX_BYTES", "100000")
    monkeypatch.setenv("LOG_BACKUPS", "2")
    log = run_to_end(tmp_path, CHATTY)

    files = sorted(log.parent.glob("chatty.log*"))
    assert [f.name for f in files] == ["chatty.log", "chatty.log.1", "chatty.log.2"]
    assert all(f.stat().st_size <= 100_000 + 5_000 for f in files)
    everything = "".join(f.read_text() for f in files)
    assert "line 2999" in everything  # the newest lines are kept
    for secret in ("4111 1111 1111 1111", "jo@example.com", "7946 0958"):
        assert secret not in everything


def test_customer_data_in_an_error_line_is_masked(tmp_path: Path) -> None:
    log = run_to_end(tmp_path, CHATTY.split('print("x"')[0])
    text = log.read_text()
    assert "**** **** **** 1111" in text
    assert "<email>" in text and "<phone>" in text
    assert "order 10003" in text
