"""Customers talking to a bot over the REST channel at a fixed concurrency, timed per message.

Each simulated user runs scripted conversations one after another, each under a new sender
id, with no pause between messages: the level measures how the bot copes when that many
customers type at once. A reply is checked against what the script expects, so a bot that
answers fast but wrongly (a fallback, a handoff) shows up as `unexpected`, not as speed.
"""

from __future__ import annotations

import itertools
import math
import re
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import requests

# A message that takes longer than this counts as an error, not as a latency.
REQUEST_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Step:
    """One customer message and a lower-case fragment every proper reply contains."""

    text: str
    expect: str


Script = tuple[Step, ...]


def mentioned_orders(scripts: Sequence[Script]) -> list[str]:
    """Order numbers the scripts mention (five digits), so their contact history can be reset."""
    return sorted({n for s in scripts for step in s for n in re.findall(r"\b\d{5}\b", step.text)})


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile: a value that was actually measured, also for small samples."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(p / 100.0 * len(sorted_values)))
    return sorted_values[rank - 1]


@dataclass
class LevelResult:
    """What one concurrency level measured."""

    users: int
    messages: int = 0
    errors: int = 0
    unexpected: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    # A few replies that did not match, so a changed bot is easy to diagnose.
    unexpected_examples: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        """The printed and stored figures (latency of answered messages only)."""
        ordered = sorted(self.latencies_ms)
        return {
            "users": self.users,
            "messages": self.messages,
            "p50_ms": percentile(ordered, 50),
            "p90_ms": percentile(ordered, 90),
            "p99_ms": percentile(ordered, 99),
            "throughput_msg_s": self.messages / self.seconds if self.seconds > 0 else math.nan,
            "errors": self.errors,
            "unexpected": self.unexpected,
        }


class _Tickets:
    """Hands out exactly `total` message slots across user threads, and conversation numbers."""

    def __init__(self, total: int) -> None:
        self._left = total
        self._conversations = itertools.count()
        self._lock = threading.Lock()

    def take(self) -> bool:
        with self._lock:
            if self._left <= 0:
                return False
            self._left -= 1
            return True

    def next_conversation(self) -> int:
        with self._lock:
            return next(self._conversations)


class _Recorder:
    """Collects timings from every user thread into one LevelResult."""

    def __init__(self, result: LevelResult) -> None:
        self.result = result
        self._lock = threading.Lock()

    def answered(self, latency_ms: float, reply: str, step: Step) -> None:
        matched = step.expect in reply if step.expect else bool(reply)
        with self._lock:
            self.result.messages += 1
            self.result.latencies_ms.append(latency_ms)
            if not matched:
                self.result.unexpected += 1
                if len(self.result.unexpected_examples) < 3:
                    self.result.unexpected_examples.append(f"{step.text!r} -> {reply[:160]!r}")

    def failed(self) -> None:
        with self._lock:
            self.result.messages += 1
            self.result.errors += 1


def send_message(session: requests.Session, url: str, sender: str, text: str) -> str | None:
    """Sends one message; the bot's texts joined and lower-cased, or None if the call failed."""
    try:
        response = session.post(
            url, json={"sender": sender, "message": text}, timeout=REQUEST_TIMEOUT_S
        )
        if response.status_code != 200:
            return None
        return " ".join(str(m.get("text", "")) for m in response.json()).lower().strip()
    except (requests.RequestException, ValueError):
        return None


def drive(
    webhook_url: str,
    scripts: Sequence[Script],
    users: int,
    messages: int,
    sender_prefix: str,
    before_conversation: Callable[[], None] = lambda: None,
) -> LevelResult:
    """Runs `users` customers at once until `messages` messages in total have been answered.

    Conversations take the scripts in turn, so every level sees the same mix; the last
    conversations may stop early when the message budget runs out.
    """
    tickets = _Tickets(messages)
    recorder = _Recorder(LevelResult(users=users))
    run_id = uuid.uuid4().hex[:8]

    def customer() -> None:
        with requests.Session() as session:
            while True:
                number = tickets.next_conversation()
                script = scripts[number % len(scripts)]
                sender = f"{sender_prefix}-u{users}-{run_id}-{number}"
                before_conversation()
                for step in script:
                    if not tickets.take():
                        return
                    started = time.perf_counter()
                    reply = send_message(session, webhook_url, sender, step.text)
                    elapsed_ms = (time.perf_counter() - started) * 1000.0
                    if reply is None:
                        recorder.failed()
                    else:
                        recorder.answered(elapsed_ms, reply, step)

    # Daemon threads: an interrupted run (Ctrl-C, SIGTERM) exits without waiting for them.
    threads = [
        threading.Thread(target=customer, name=f"user-{i}", daemon=True) for i in range(users)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    recorder.result.seconds = time.perf_counter() - started
    return recorder.result
