"""What reading a conversation back costs the Rasa server, from Redis and from the kept tracker.

    .venv/bin/python -m benchmarks.tracker_reads [--turns 5,50] [--repeats 30]

A private Redis (harness.redis_server) holds conversations of the given lengths, each turn the
events a routine turn of ours adds (the message, the per-turn action and its three slots, the
answer). One store reads each back as a second Rasa server would (every event of the session
from Redis, opened and replayed: addons/stores/tracker_store.py); the store that saved it
reads its kept tracker (addons/stores/kept_trackers.py). Medians and minimums are printed,
never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from addons.stores.tracker_store import AppendOnlyRedisTrackerStore
from harness.redis_server import RedisServer
from launcher.settings import PROJECT_ROOT


def routine_turn() -> list[Event]:
    """The events one routine turn adds (a greeting answered)."""
    intent = {"name": "greet", "confidence": 0.99}
    ranking = [{"name": f"intent_{n}", "confidence": 0.001} for n in range(10)]
    parse = {"intent": intent, "entities": [], "text": "hello there", "intent_ranking": ranking}
    return [
        UserUttered("hello there", intent, [], parse),
        ActionExecuted("action_read_turn"),
        SlotSet("frustration_score", 0.1),
        SlotSet("sentiment_score", 0.0),
        SlotSet("frustration_level", "calm"),
        ActionExecuted("utter_greet"),
        BotUttered("Hi! I'm the shop's automated assistant.", {}, {"utter_action": "utter_greet"}),
        ActionExecuted(ACTION_LISTEN_NAME),
    ]


def _ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.2f} ms (min {min(samples) * 1000:.2f})"


async def measure(domain: Domain, port: int, turns: int, repeats: int) -> str:
    """One line of figures for a conversation of `turns` turns."""
    here = AppendOnlyRedisTrackerStore(domain, host="127.0.0.1", port=port)
    elsewhere = AppendOnlyRedisTrackerStore(domain, host="127.0.0.1", port=port)
    sender = f"reads-{turns}"
    start = [ActionExecuted(ACTION_SESSION_START_NAME), SessionStarted()]
    events = start + [event for _ in range(turns) for event in routine_turn()]
    tracker = DialogueStateTracker.from_events(sender, events, domain.slots)
    await here.save(tracker)
    kept, read, saved = [], [], []
    for _ in range(repeats):
        began = time.perf_counter()
        again = await here.retrieve(sender)
        kept.append(time.perf_counter() - began)
        if again is not tracker:
            raise RuntimeError("the kept tracker was not used")
        began = time.perf_counter()
        await here.save(again)
        saved.append(time.perf_counter() - began)
        began = time.perf_counter()
        await elsewhere.retrieve(sender)
        read.append(time.perf_counter() - began)
    return (
        f"{turns} turns, {len(events)} events: read from Redis {_ms(read)}, "
        f"kept tracker {_ms(kept)}, save {_ms(saved)}"
    )


async def run(turn_counts: Sequence[int], repeats: int) -> None:
    """Prints one line per conversation length."""
    domain = Domain.load([str(PROJECT_ROOT / "domain")])
    with tempfile.TemporaryDirectory(prefix="tracker-reads-") as workdir:
        server = RedisServer(Path(workdir))
        server.start()
        try:
            for turns in turn_counts:
                print(await measure(domain, server.port, turns, repeats), flush=True)
        finally:
            server.stop()


def lengths(raw: str) -> list[int]:
    """`5,50` -> [5, 50]."""
    return [int(part) for part in raw.split(",") if part.strip()]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.tracker_reads", description=__doc__)
    parser.add_argument("--turns", type=lengths, default=[5, 50], help="conversation lengths")
    parser.add_argument("--repeats", type=int, default=30, help="reads per length")
    args = parser.parse_args(argv)
    asyncio.run(run(args.turns, args.repeats))


if __name__ == "__main__":
    main()
