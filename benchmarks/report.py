"""Turns the measurements into the printed tables, the ours/stock ratios and the JSON file."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.load import LevelResult

LEVEL_HEADER = (
    f"{'bot':<6} {'users':>5} {'messages':>8} {'p50_ms':>8} {'p90_ms':>8} {'p99_ms':>8} "
    f"{'msg_per_s':>9} {'errors':>6} {'unexpected':>10}"
)
RATIO_HEADER = f"{'users':>5} {'p50_ratio':>9} {'p90_ratio':>9} {'throughput_ratio':>16}"


@dataclass
class BotRun:
    """Everything measured for one bot."""

    name: str
    levels: list[LevelResult] = field(default_factory=list)
    peak_rss_mb: dict[str, float] = field(default_factory=dict)

    def level(self, users: int) -> LevelResult | None:
        return next((lv for lv in self.levels if lv.users == users), None)


def _ratio(ours: float, stock: float) -> float:
    return ours / stock if stock and not math.isnan(stock) and not math.isnan(ours) else math.nan


def ratios(ours: BotRun, stock: BotRun) -> list[dict[str, float]]:
    """Per concurrency level: our p50, p90 and throughput divided by the stock bot's."""
    rows = []
    for mine in ours.levels:
        theirs = stock.level(mine.users)
        if theirs is None:
            continue
        a, b = mine.figures(), theirs.figures()
        rows.append(
            {
                "users": mine.users,
                "p50": _ratio(a["p50_ms"], b["p50_ms"]),
                "p90": _ratio(a["p90_ms"], b["p90_ms"]),
                "throughput": _ratio(a["throughput_msg_s"], b["throughput_msg_s"]),
            }
        )
    return rows


def interpretation(ours: BotRun, stock: BotRun, analyzer_median_us: float) -> str:
    """One sentence: what our extra work per message costs, in the run's own numbers."""
    if not ours.levels or not stock.levels:
        return "No comparison: a bot was not measured."
    first, busiest = ours.levels[0], ours.levels[-1]
    stock_first, stock_busiest = stock.level(first.users), stock.level(busiest.users)
    if stock_first is None or stock_busiest is None:
        return "No comparison: the bots were measured at different user counts."
    a, b = first.figures(), stock_first.figures()
    extra_ms = a["p50_ms"] - b["p50_ms"]
    throughput = _ratio(
        busiest.figures()["throughput_msg_s"], stock_busiest.figures()["throughput_msg_s"]
    )
    return (
        f"At {first.users} user(s) a message to our bot takes "
        f"{_times(_ratio(a['p50_ms'], b['p50_ms']))} "
        f"the stock bot's median ({extra_ms:+.0f} ms), and at {busiest.users} user(s) it serves "
        f"{_times(throughput)} the stock bot's messages per second: the price of a custom action "
        f"on every turn (frustration analysis, {analyzer_median_us / 1000.0:.1f} ms of it alone), "
        f"shop calls and the Redis tracker and lock stores, which the example bot does without."
    )


def _times(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.2f}x"


def _num(value: float, digits: int = 1) -> str:
    return "n/a" if isinstance(value, float) and math.isnan(value) else f"{value:.{digits}f}"


def render(
    runs: list[BotRun], analyzer: dict[str, float], ratio_rows: list[dict[str, float]], summary: str
) -> str:
    """The text printed at the end of a run."""
    analyzer_line = (
        "Frustration analyser (TurnAnalyzer.analyze, in-process): "
        f"{analyzer['messages']} messages, "
        f"median {_num(analyzer['median_us'], 0)} us, p90 {_num(analyzer['p90_us'], 0)} us"
    )
    lines = [
        analyzer_line,
        "",
        "Latency and throughput over REST (`users` customers typing at once, no pauses)",
        LEVEL_HEADER,
    ]
    for run in runs:
        for level in run.levels:
            f = level.figures()
            lines.append(
                f"{run.name:<6} {f['users']:>5} {f['messages']:>8} {_num(f['p50_ms']):>8} "
                f"{_num(f['p90_ms']):>8} {_num(f['p99_ms']):>8} {_num(f['throughput_msg_s']):>9} "
                f"{f['errors']:>6} {f['unexpected']:>10}"
            )
    lines += ["", "Peak memory (VmHWM, MB)"]
    for run in runs:
        for process, mb in run.peak_rss_mb.items():
            lines.append(f"{run.name:<6} {process:<8} {_num(mb):>8}")
    lines += [
        "",
        "Ours / stock (latency above 1: ours is slower; throughput below 1: ours serves fewer)",
        RATIO_HEADER,
    ]
    for row in ratio_rows:
        lines.append(
            f"{row['users']:>5} {_times(row['p50']):>9} {_times(row['p90']):>9} "
            f"{_times(row['throughput']):>16}"
        )
    lines += ["", summary]
    for run in runs:
        for level in run.levels:
            for example in level.unexpected_examples:
                lines.append(
                    f"note: {run.name}, {level.users} user(s), unexpected reply: {example}"
                )
    return "\n".join(lines)


def _clean(value: Any) -> Any:
    """NaN is not JSON: store it as null."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def write_json(
    path: Path,
    meta: dict[str, Any],
    runs: list[BotRun],
    analyzer: dict[str, float],
    ratio_rows: list[dict[str, float]],
    summary: str,
) -> None:
    """The same figures as printed, for comparing runs over time."""
    document = {
        **meta,
        "analyzer": analyzer,
        "bots": {
            run.name: {
                "levels": [lv.figures() for lv in run.levels],
                "peak_rss_mb": run.peak_rss_mb,
            }
            for run in runs
        },
        "ratios_ours_over_stock": ratio_rows,
        "interpretation": summary,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(_clean(document), indent=2) + "\n")
