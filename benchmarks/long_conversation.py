"""Whether a turn costs more late in a long conversation than at its start.

Rasa sends the whole tracker to the action server on every call and the Redis tracker store
reads and writes the whole conversation on every message, so the cost per turn may grow with
the conversation's length. Each bot holds a few 50-turn conversations at one user, the bots
taking turns conversation by conversation (drift again reaches both alike); the figures are the
median latency per block of ten turns and the last block over the first.
"""

from __future__ import annotations

import itertools
import statistics
import time
import uuid
from collections.abc import Callable, Sequence

import requests

from benchmarks.interleave import Contender
from benchmarks.load import Script, Step, send_message

BLOCK = 10


def long_script(steps: Sequence[Step], turns: int) -> Script:
    """`turns` messages cycling through `steps`."""
    return tuple(itertools.islice(itertools.cycle(steps), turns))


def _one_conversation(contender: Contender, script: Script, label: str) -> list[float | None]:
    """Milliseconds per turn (None for a failed message)."""
    bot = contender.bot
    sender = f"bench-long-{bot.name}-{label}-{uuid.uuid4().hex[:8]}"
    timings: list[float | None] = []
    with requests.Session() as session:
        for step in script:
            # Ours forgets who asked about which order before every turn: asking about the same
            # orders again and again would otherwise hand the customer to a person.
            bot.before_conversation()
            started = time.perf_counter()
            reply = send_message(session, bot.webhook_url, sender, step.text)
            elapsed = (time.perf_counter() - started) * 1000.0
            timings.append(None if reply is None else elapsed)
    return timings


def measure(
    contenders: Sequence[tuple[Contender, Script]],
    conversations: int,
    say: Callable[[str], None],
) -> dict[str, dict[str, object]]:
    """Per bot: median ms per block of ten turns, first and last block, and their ratio."""
    timings: dict[str, list[list[float | None]]] = {c.bot.name: [] for c, _ in contenders}
    for number in range(conversations):
        for contender, script in contenders:
            say(f"{contender.bot.name}: long conversation {number + 1}/{conversations}")
            timings[contender.bot.name].append(_one_conversation(contender, script, str(number)))
    return {name: summarise(runs) for name, runs in timings.items()}


def summarise(runs: list[list[float | None]]) -> dict[str, object]:
    """Block medians over every conversation of one bot (failed turns counted, not timed)."""
    turns = max((len(run) for run in runs), default=0)
    blocks: list[dict[str, object]] = []
    for start in range(0, turns, BLOCK):
        values = [t for run in runs for t in run[start : start + BLOCK] if t is not None]
        blocks.append(
            {
                "turns": f"{start + 1}-{min(start + BLOCK, turns)}",
                "p50_ms": statistics.median(values) if values else None,
            }
        )
    first, last = blocks[0]["p50_ms"] if blocks else None, blocks[-1]["p50_ms"] if blocks else None
    growth = (
        last / first if isinstance(first, float) and isinstance(last, float) and first else None
    )
    return {
        "conversations": len(runs),
        "turns": turns,
        "errors": sum(t is None for run in runs for t in run),
        "blocks": blocks,
        "last_over_first": growth,
    }
