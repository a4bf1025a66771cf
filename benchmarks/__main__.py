"""`python -m benchmarks [--quick] [--users 1,4] [--messages N]`: measure ours and the stock bot.

Progress goes to stderr, the figures to stdout and to a JSON file. The bots run one after
the other, never together, so each has the machine to itself (apart from this driver).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path
from typing import Any

from benchmarks import analyzer_cost
from benchmarks.load import Script, drive, mentioned_orders
from benchmarks.report import BotRun, interpretation, ratios, render, write_json
from benchmarks.scripts import OUR_SCRIPTS, STOCK_SCRIPTS
from benchmarks.systems import (
    BENCH_DIR,
    BenchError,
    RunningBot,
    our_system,
    peak_rss_mb,
    stock_bot,
)
from launcher.process import StartError

DEFAULTS: dict[str, Any] = {"users": "1,4", "messages": 200, "analyzer_messages": 3000}
QUICK: dict[str, Any] = {"users": "1,2", "messages": 30, "analyzer_messages": 300}


def say(line: str) -> None:
    """Progress, on stderr so stdout holds only the results."""
    print(line, file=sys.stderr, flush=True)


def user_levels(raw: str) -> list[int]:
    """`1,4` -> [1, 4]; argparse reports anything else as a usage error."""
    try:
        levels = [int(part) for part in raw.split(",") if part.strip()]
    except ValueError:
        levels = []
    if not levels or min(levels) < 1:
        raise argparse.ArgumentTypeError(f"expected user counts like 1,4, got {raw!r}")
    return levels


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"small sizes for CI: users {QUICK['users']}, {QUICK['messages']} messages per level",
    )
    parser.add_argument(
        "--users",
        type=user_levels,
        default=None,
        help=f"concurrency levels, comma-separated (default {DEFAULTS['users']})",
    )
    parser.add_argument(
        "--messages",
        type=int,
        default=None,
        help=f"messages per level and bot (default {DEFAULTS['messages']})",
    )
    parser.add_argument(
        "--analyzer-messages",
        type=int,
        default=None,
        help="messages timed through TurnAnalyzer.analyze "
        f"(default {DEFAULTS['analyzer_messages']})",
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=BENCH_DIR / "latest.json",
        help="where the results are written (default var/bench/latest.json)",
    )
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else DEFAULTS
    args.users = args.users or user_levels(sizes["users"])
    args.messages = args.messages or sizes["messages"]
    args.analyzer_messages = args.analyzer_messages or sizes["analyzer_messages"]
    if args.messages < 1 or args.analyzer_messages < 1:
        parser.error("--messages and --analyzer-messages must be at least 1")
    return args


def measure_bot(
    start: Callable[[], AbstractContextManager[RunningBot]],
    scripts: Sequence[Script],
    levels: Sequence[int],
    messages: int,
) -> BotRun:
    """Starts a bot, warms it up with one pass over its scripts, measures each level, stops it.

    The warm-up is not counted: the first messages after a start pay for lazy loading
    (TensorFlow graphs, connections) that no later customer pays again.
    """
    with start() as bot:
        run = BotRun(bot.name)
        warmup = sum(len(script) for script in scripts)
        say(f"{bot.name}: warming up ({warmup} messages, not counted)")
        warm = drive(
            bot.webhook_url, scripts, 1, warmup, f"bench-{bot.name}-warmup", bot.before_conversation
        )
        if warm.errors or warm.unexpected:
            say(
                f"  warning: warm-up had {warm.errors} errors, "
                f"{warm.unexpected} unexpected replies "
                f"{warm.unexpected_examples}"
            )
        for users in levels:
            say(f"{bot.name}: {users} user(s), {messages} messages ...")
            level = drive(
                bot.webhook_url,
                scripts,
                users,
                messages,
                f"bench-{bot.name}",
                bot.before_conversation,
            )
            figures = level.figures()
            say(
                f"  done in {level.seconds:.1f}s: p50 {figures['p50_ms']:.0f} ms, "
                f"{figures['throughput_msg_s']:.1f} msg/s, {level.errors} errors"
            )
            run.levels.append(level)
        run.peak_rss_mb = {name: peak_rss_mb(pid) for name, pid in bot.processes.items()}
    return run


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    started = datetime.now(timezone.utc)
    say(f"timing the frustration analyser over {args.analyzer_messages} messages ...")
    analyzer = analyzer_cost.measure(args.analyzer_messages)
    orders = mentioned_orders(OUR_SCRIPTS)
    t0 = time.monotonic()
    try:
        ours = measure_bot(lambda: our_system(say, orders), OUR_SCRIPTS, args.users, args.messages)
        stock = measure_bot(lambda: stock_bot(say), STOCK_SCRIPTS, args.users, args.messages)
    except (BenchError, StartError) as error:
        say(f"error: {error}")
        return 1
    runs = [ours, stock]
    ratio_rows = ratios(ours, stock)
    summary = interpretation(ours, stock, analyzer["median_us"])
    print(render(runs, analyzer, ratio_rows, summary), flush=True)
    meta = {
        "started_at": started.isoformat(timespec="seconds"),
        "rasa_version": version("rasa"),
        "users": args.users,
        "messages_per_level": args.messages,
    }
    write_json(args.json, meta, runs, analyzer, ratio_rows, summary)
    say(f"results written to {args.json} ({time.monotonic() - t0:.0f}s for both bots)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
