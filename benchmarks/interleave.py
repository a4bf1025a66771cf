"""Bots measured in short alternating rounds, so the machine's drift reaches every bot alike.

Measuring one bot after the other puts whatever else the machine does during the run into
the ratio between them (a 1-user p50 ratio of 1.01x in one run and 2.08x in the next). Here
every level is split into rounds; in each round every bot serves the same number of messages,
in an order that rotates from round to round. The figures of a bot at a level pool all its
rounds; each ratio to the stock bot is taken round by round and reported as the median with
its spread (lowest and highest round).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from benchmarks.load import LevelResult, Script, drive
from benchmarks.systems import RunningBot

BASELINE = "stock"
# Every simulated user sends at least this many messages per round, so a round is not all
# ramp-up and tail.
MIN_MESSAGES_PER_USER = 4


@dataclass
class Contender:
    """A running bot and what its customers say."""

    bot: RunningBot
    scripts: Sequence[Script]


def round_size(messages: int, rounds: int, users: int) -> int:
    """Messages per bot and round: the level's budget split over the rounds, but never so few
    that the users are mostly starting up or waiting for the last one."""
    return max(messages // rounds, users * MIN_MESSAGES_PER_USER, 1)


def merge(into: LevelResult, part: LevelResult) -> None:
    """Adds one round's measurements to a bot's level."""
    into.messages += part.messages
    into.errors += part.errors
    into.unexpected += part.unexpected
    into.seconds += part.seconds
    into.latencies_ms += part.latencies_ms
    room = 3 - len(into.unexpected_examples)
    into.unexpected_examples += part.unexpected_examples[: max(room, 0)]


def measure_level(
    contenders: Sequence[Contender],
    users: int,
    rounds: int,
    per_round: int,
    say: Callable[[str], None],
) -> tuple[dict[str, LevelResult], list[dict[str, LevelResult]]]:
    """Every bot at `users` users for `rounds` rounds; pooled results and each round's."""
    pooled = {c.bot.name: LevelResult(users=users) for c in contenders}
    by_round: list[dict[str, LevelResult]] = []
    for number in range(rounds):
        shift = number % len(contenders)
        order = [*contenders[shift:], *contenders[:shift]]
        this_round: dict[str, LevelResult] = {}
        for contender in order:
            bot = contender.bot
            result = drive(
                bot.webhook_url,
                contender.scripts,
                users,
                per_round,
                f"bench-{bot.name}-r{number}",
                bot.before_conversation,
            )
            this_round[bot.name] = result
            merge(pooled[bot.name], result)
        by_round.append(this_round)
        say(
            f"  {users} user(s), round {number + 1}/{rounds}: "
            + ", ".join(
                f"{name} p50 {r.figures()['p50_ms']:.0f} ms {r.figures()['throughput_msg_s']:.1f}"
                " msg/s"
                for name, r in this_round.items()
            )
        )
    return pooled, by_round


def _spread(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def round_ratios(users: int, by_round: list[dict[str, LevelResult]]) -> list[dict[str, object]]:
    """Per bot other than the baseline: p50 and throughput over the baseline's, round by round."""
    rows: list[dict[str, object]] = []
    names = [name for name in by_round[0] if name != BASELINE] if by_round else []
    for name in names:
        p50, throughput = [], []
        for results in by_round:
            if BASELINE not in results:
                continue
            mine, theirs = results[name].figures(), results[BASELINE].figures()
            if mine["p50_ms"] > 0 and theirs["p50_ms"] > 0:
                p50.append(mine["p50_ms"] / theirs["p50_ms"])
                throughput.append(mine["throughput_msg_s"] / theirs["throughput_msg_s"])
        if p50:
            rows.append(
                {
                    "bot": name,
                    "users": users,
                    "rounds": len(p50),
                    "p50": _spread(p50),
                    "throughput": _spread(throughput),
                }
            )
    return rows
