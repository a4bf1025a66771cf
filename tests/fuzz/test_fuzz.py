"""Fuzz suite: over 10,000 generated inputs across the REST, Telegram, Slack and socket.io
endpoints and the agent desk's forms, sent concurrently to the running system.

Passes when no response is a 5xx (or missing), every part is still running and answering,
and the Rasa server's memory grew by less than 50 MB. The figures are printed (pytest -s):

    .venv/bin/python -m pytest -s -p no:cacheprovider tests/fuzz

FUZZ_SEED replays a run (the seed is printed with the figures).
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import psutil
import requests

from tests.channel_system import ChannelSystem
from tests.fuzz.generate import Generator
from tests.fuzz.probes import DeskVisitor, Probe, desk, rest, send, slack, telegram
from tests.fuzz.socketio_fuzz import fuzz_socketio

COUNTS = {"rest": 3600, "telegram": 1800, "slack": 1800, "desk": 1900}
SOCKET_CLIENTS, SOCKET_EVENTS_EACH = 10, 100
WORKERS = 12
MAX_GROWTH_MB = 50


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children."""
    process = psutil.Process(pid)
    tree = [process, *process.children(recursive=True)]
    return sum(p.memory_info().rss for p in tree) / 2**20


def warm_up(system: ChannelSystem) -> None:
    """Ordinary conversations first, so the baseline includes what the first messages load."""
    for n in range(20):
        answer = requests.post(
            f"{system.rasa_url}/webhooks/rest/webhook",
            json={"sender": f"warm-{n}", "message": "where is order #10003?"},
            timeout=120,
        )
        assert answer.status_code == 200


def probes(system: ChannelSystem, seed: int) -> list[Probe]:
    """Every HTTP input, interleaved so each endpoint is under load at the same time."""
    gen = Generator(seed)
    desk_url = system.stack.settings.desk_url
    agent = DeskVisitor.open(desk_url, "alex", "demo-password")
    visitor = DeskVisitor.open(desk_url)
    makers: dict[str, Callable[[], Probe]] = {
        "rest": lambda: rest(gen, system),
        "telegram": lambda: telegram(gen, system),
        "slack": lambda: slack(gen, system),
        "desk": lambda: desk(gen, desk_url, agent, visitor),
    }
    queue = [name for name, count in COUNTS.items() for _ in range(count)]
    gen.rng.shuffle(queue)
    return [makers[name]() for name in queue]


def test_generated_input_gets_no_5xx_and_every_part_survives(
    channel_system: ChannelSystem,
) -> None:
    seed = int(os.environ.get("FUZZ_SEED", "20261130"))
    rasa_pid = channel_system.stack.children["rasa"].pid
    assert rasa_pid is not None
    warm_up(channel_system)
    before_mb = rss_mb(rasa_pid)
    inputs = probes(channel_system, seed)

    started = time.monotonic()
    socket_result: list = []
    socket_thread = threading.Thread(
        target=lambda: socket_result.append(
            fuzz_socketio(channel_system.rasa_url, seed, SOCKET_CLIENTS, SOCKET_EVENTS_EACH)
        )
    )
    socket_thread.start()
    with ThreadPoolExecutor(WORKERS) as pool:
        statuses = list(pool.map(send, inputs))
    socket_thread.join()
    assert socket_result, "the socket.io clients raised (see the thread's traceback above)"
    elapsed = time.monotonic() - started
    after_mb = rss_mb(rasa_pid)

    by_target: dict[str, Counter] = {}
    for probe, status in zip(inputs, statuses, strict=True):
        by_target.setdefault(probe.target, Counter())[status] += 1
    sockets = socket_result[0]
    failures = {
        target: {s: n for s, n in counts.items() if not isinstance(s, int) or s >= 500}
        for target, counts in by_target.items()
    }
    total = len(inputs) + sockets.events
    print(f"\nfuzz seed {seed}: {total} inputs in {elapsed:.0f} s")
    for target, counts in sorted(by_target.items()):
        shown = dict(sorted(counts.items(), key=str))
        print(f"  {target}: {sum(counts.values())} requests, statuses {shown}")
    print(
        f"  socket.io: {sockets.events} events from {SOCKET_CLIENTS} clients, "
        f"{sockets.connect_failures} failed connects, {sockets.dropped_connections} closed by "
        f"the server ({sockets.disconnect_reasons}); afterwards {sockets.confirmed_after} of "
        f"{SOCKET_CLIENTS} fresh clients got a session"
    )
    print(f"  5xx or no response: {sum(sum(f.values()) for f in failures.values())}")
    print(f"  Rasa RSS {before_mb:.0f} MB -> {after_mb:.0f} MB ({after_mb - before_mb:+.1f} MB)")

    assert total >= 10_000
    assert all(not f for f in failures.values()), failures
    assert sockets.connect_failures == 0
    assert sockets.confirmed_after == SOCKET_CLIENTS
    stopped = [name for name, child in channel_system.stack.children.items() if not child.running()]
    assert stopped == []
    assert after_mb - before_mb < MAX_GROWTH_MB
    answer = requests.post(
        f"{channel_system.rasa_url}/webhooks/rest/webhook",
        json={"sender": "after-fuzz", "message": "where is order #10003?"},
        timeout=120,
    )
    assert answer.status_code == 200 and answer.json()
    desk_health = requests.get(f"{channel_system.stack.settings.desk_url}/health", timeout=30)
    assert desk_health.status_code == 200
