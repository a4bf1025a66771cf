"""`python -m benchmarks [--quick] [--users 1,4,16] [--bots ours,ours_x2,stock] ...`.

Starts every bot first, then measures them in short alternating rounds (benchmarks/
interleave.py), then in long conversations. Progress goes to stderr, the figures to stdout, a
JSON file and a PNG plot. Every server the run started is stopped when it ends, fails, or is
interrupted (Ctrl-C, SIGTERM from a time limit).
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, ExitStack
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path
from typing import Any

from benchmarks import analyzer_cost, long_conversation
from benchmarks.interleave import Contender, measure_level, round_ratios, round_size
from benchmarks.load import Script, drive, mentioned_orders
from benchmarks.plot import save_plot
from benchmarks.report import BotRun, interpretation, render, write_json
from benchmarks.scripts import OUR_LONG_STEPS, OUR_SCRIPTS, STOCK_LONG_STEPS, STOCK_SCRIPTS
from benchmarks.systems import (
    BENCH_DIR,
    BenchError,
    RunningBot,
    our_system,
    peak_rss_mb,
    stock_bot,
    stock_project,
)
from launcher.process import StartError

BOTS = ("ours", "ours_x2", "stock")
DEFAULTS: dict[str, Any] = {
    "users": "1,4,16",
    "messages": 300,
    "rounds": 5,
    "analyzer_messages": 3000,
    "long_conversations": 3,
}
QUICK: dict[str, Any] = {
    "users": "1,2",
    "messages": 30,
    "rounds": 2,
    "analyzer_messages": 300,
    "long_conversations": 1,
}


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


def bot_names(raw: str) -> list[str]:
    """`ours,stock` -> ["ours", "stock"], each one of BOTS."""
    names = [part.strip() for part in raw.split(",") if part.strip()]
    if not names or any(name not in BOTS for name in names):
        raise argparse.ArgumentTypeError(f"expected bots among {','.join(BOTS)}, got {raw!r}")
    return names


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    add = parser.add_argument
    add("--quick", action="store_true", help=f"CI sizes: {QUICK}")
    add("--users", type=user_levels, help=f"concurrency levels (default {DEFAULTS['users']})")
    add("--bots", type=bot_names, default=list(BOTS), help="bots to run (default all three)")
    add("--messages", type=int, help="messages per level and bot, over all rounds")
    add("--rounds", type=int, help=f"alternating rounds per level (default {DEFAULTS['rounds']})")
    add("--analyzer-messages", type=int, help="messages timed through TurnAnalyzer.analyze")
    add("--long-turns", type=int, default=50, help="turns of a long conversation (0: none)")
    add("--long-conversations", type=int, help="long conversations per bot")
    add("--json", type=Path, default=BENCH_DIR / "latest.json", help="results file")
    add("--plot", type=Path, default=None, help="PNG plot (default: the JSON path, .png)")
    add("--train-stock", action="store_true", help="only train the stock bot if not yet trained")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else DEFAULTS
    args.users = args.users or user_levels(sizes["users"])
    for name in ("messages", "rounds", "analyzer_messages", "long_conversations"):
        if getattr(args, name) is None:
            setattr(args, name, sizes[name])
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    args.plot = args.plot or args.json.with_suffix(".png")
    return args


def _stop_on_sigterm() -> None:
    """SIGTERM (a time limit, a CI runner) unwinds like Ctrl-C, so every server is stopped."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def start_bots(
    names: Sequence[str], stack: ExitStack, long_turns: int
) -> list[tuple[Contender, Script]]:
    """Starts each bot and warms it up (not counted: the first messages after a start pay for
    lazy loading). Returns each bot with its long-conversation script."""
    orders = mentioned_orders(OUR_SCRIPTS)
    starters: dict[str, Callable[[], AbstractContextManager[RunningBot]]] = {
        "ours": lambda: our_system(say, orders),
        "ours_x2": lambda: our_system(say, orders, instances=2),
        "stock": lambda: stock_bot(say),
    }
    started = []
    for name in names:
        bot = stack.enter_context(starters[name]())
        scripts = STOCK_SCRIPTS if name == "stock" else OUR_SCRIPTS
        steps = STOCK_LONG_STEPS if name == "stock" else OUR_LONG_STEPS
        warmup = 2 * sum(len(script) for script in scripts)
        say(f"{name}: warming up ({warmup} messages, not counted)")
        warm = drive(bot.webhook_url, scripts, 2, warmup, f"warm-{name}", bot.before_conversation)
        if warm.errors or warm.unexpected:
            say(f"  warning: warm-up: {warm.errors} errors, {warm.unexpected} unexpected replies")
        started.append((Contender(bot, scripts), long_conversation.long_script(steps, long_turns)))
    return started


def measure(args: argparse.Namespace, stack: ExitStack) -> dict[str, Any]:
    """Every level in alternating rounds, then the long conversations; the results."""
    started = start_bots(args.bots, stack, args.long_turns)
    contenders = [contender for contender, _ in started]
    runs = {c.bot.name: BotRun(c.bot.name) for c in contenders}
    ratio_rows: list[dict[str, Any]] = []
    for users in args.users:
        per_round = round_size(args.messages, args.rounds, users)
        say(f"{users} user(s): {args.rounds} rounds of {per_round} messages per bot")
        pooled, by_round = measure_level(contenders, users, args.rounds, per_round, say)
        for name, result in pooled.items():
            runs[name].levels.append(result)
        ratio_rows += round_ratios(users, by_round)
    long_runs = {}
    if args.long_turns:
        long_runs = long_conversation.measure(started, args.long_conversations, say)
    for contender in contenders:
        runs[contender.bot.name].peak_rss_mb = {
            name: peak_rss_mb(pid) for name, pid in contender.bot.processes.items()
        }
    return {"runs": list(runs.values()), "ratios": ratio_rows, "long": long_runs}


def _train_stock_only() -> int:
    """`--train-stock`: the stock bot trained and kept for later runs, nothing measured."""
    try:
        stock_project(say)
    except BenchError as error:
        say(f"error: {error}")
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    _stop_on_sigterm()
    if args.train_stock:
        return _train_stock_only()
    started_at = datetime.now(timezone.utc)
    say(f"timing the frustration analyser over {args.analyzer_messages} messages ...")
    analyzer = analyzer_cost.measure(args.analyzer_messages)
    t0 = time.monotonic()
    try:
        with ExitStack() as stack:
            results = measure(args, stack)
            say("stopping every server ...")
    except (BenchError, StartError) as error:
        say(f"error: {error}")
        return 1
    except KeyboardInterrupt:
        say("interrupted: every server this run started has been stopped")
        return 130
    summary = interpretation(results["ratios"], analyzer["median_us"])
    print(render(results["runs"], analyzer, results["ratios"], results["long"], summary))
    meta = {
        "started_at": started_at.isoformat(timespec="seconds"),
        "rasa_version": version("rasa"),
        "users": args.users,
        "messages_per_level": args.messages,
        "rounds": args.rounds,
    }
    write_json(
        args.json, meta, results["runs"], analyzer, results["ratios"], results["long"], summary
    )
    save_plot(args.plot, results["runs"])
    say(f"results in {args.json} and {args.plot} ({time.monotonic() - t0:.0f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
