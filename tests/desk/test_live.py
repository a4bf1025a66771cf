"""The desk's event streams (agent_desk/live.py): a change is sent once, silence is kept
alive, and a stream ends so the browser reconnects with its session checked again."""

from __future__ import annotations

import json

from agent_desk.live import KEEP_ALIVE_S, RETRY_MS, event_stream


class Clock:
    """Time that moves only when the stream sleeps."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_changes_are_sent_once_and_silence_is_kept_alive() -> None:
    clock = Clock()
    figures = iter([{"n": 1}] * 3 + [{"n": 2}] + [{"n": 2}] * 100)
    stream = event_stream(lambda: next(figures), 1.0, 40.0, clock, clock.sleep)
    sent = list(stream)
    assert sent[0] == f"retry: {RETRY_MS}\n\n"
    data = [json.loads(line[len("data: ") :]) for line in sent if line.startswith("data: ")]
    assert data == [{"n": 1}, {"n": 2}]
    assert sent.count(": still here\n\n") == int((40 - 3) // KEEP_ALIVE_S)
    assert clock.now == 40.0


def test_a_stream_ends_when_its_source_is_gone() -> None:
    clock = Clock()
    figures = iter([{"n": 1}, None])
    sent = list(event_stream(lambda: next(figures), 1.0, 60.0, clock, clock.sleep))
    assert sent == [f"retry: {RETRY_MS}\n\n", 'data: {"n": 1}\n\n']
