"""Turns the measurements into the printed tables, the ratios to the stock bot and the JSON."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.load import LevelResult

LEVEL_HEADER = (
    f"{'bot':<8} {'users':>5} {'messages':>8} {'p50_ms':>8} {'p90_ms':>8} {'p99_ms':>8} "
    f"{'msg_per_s':>9} {'errors':>6} {'unexpected':>10}"
)
RATIO_HEADER = (
    f"{'bot':<8} {'users':>5} {'rounds':>6} {'p50_ratio':>9} {'p50_spread':>12} "
    f"{'throughput_ratio':>16} {'throughput_spread':>17}"
)


@dataclass
class BotRun:
    """Everything measured for one bot."""

    name: str
    levels: list[LevelResult] = field(default_factory=list)
    peak_rss_mb: dict[str, float] = field(default_factory=dict)

    def level(self, users: int) -> LevelResult | None:
        return next((lv for lv in self.levels if lv.users == users), None)


def _times(value: float | None) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value:.2f}x"


def _num(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value:.{digits}f}"


def interpretation(ratio_rows: list[dict[str, Any]], analyzer_median_us: float) -> str:
    """What the ratios say, in the run's own numbers (median over rounds)."""
    if not ratio_rows:
        return "No comparison: the stock bot was not measured."
    sentences = []
    for name in dict.fromkeys(row["bot"] for row in ratio_rows):
        rows = [row for row in ratio_rows if row["bot"] == name]
        first, busiest = rows[0], rows[-1]
        sentences.append(
            f"{name}: p50 {_times(first['p50']['median'])} the stock bot's at "
            f"{first['users']} user(s), throughput {_times(busiest['throughput']['median'])} "
            f"the stock bot's at {busiest['users']} user(s)."
        )
    return " ".join(sentences) + (
        f" Our bot runs a custom action on every turn (frustration analysis, "
        f"{analyzer_median_us / 1000.0:.1f} ms of it alone), calls the shop and keeps trackers "
        "and locks in Redis; the example bot does none of that."
    )


def _level_lines(runs: list[BotRun]) -> list[str]:
    lines = []
    for run in runs:
        for level in run.levels:
            f = level.figures()
            lines.append(
                f"{run.name:<8} {f['users']:>5} {f['messages']:>8} {_num(f['p50_ms']):>8} "
                f"{_num(f['p90_ms']):>8} {_num(f['p99_ms']):>8} "
                f"{_num(f['throughput_msg_s']):>9} {f['errors']:>6} {f['unexpected']:>10}"
            )
    return lines


def _ratio_lines(ratio_rows: list[dict[str, Any]]) -> list[str]:
    lines = []
    for row in ratio_rows:
        p50, throughput = row["p50"], row["throughput"]
        lines.append(
            f"{row['bot']:<8} {row['users']:>5} {row['rounds']:>6} {_times(p50['median']):>9} "
            f"{_times(p50['min']) + '-' + _times(p50['max']):>12} "
            f"{_times(throughput['median']):>16} "
            f"{_times(throughput['min']) + '-' + _times(throughput['max']):>17}"
        )
    return lines


def _long_lines(long_runs: dict[str, dict[str, Any]]) -> list[str]:
    if not long_runs:
        return []
    lines = ["", "Long conversations: median ms per block of turns (1 user)"]
    for name, run in long_runs.items():
        blocks = "  ".join(f"{b['turns']}: {_num(b['p50_ms'], 0)}" for b in run["blocks"])
        lines.append(
            f"{name:<8} {blocks}  last/first {_times(run['last_over_first'])} "
            f"({run['conversations']} x {run['turns']} turns, {run['errors']} errors)"
        )
    return lines


def render(
    runs: list[BotRun],
    analyzer: dict[str, float],
    ratio_rows: list[dict[str, Any]],
    long_runs: dict[str, dict[str, Any]],
    summary: str,
) -> str:
    """The text printed at the end of a run."""
    lines = [
        "Frustration analyser (TurnAnalyzer.analyze, in-process): "
        f"{analyzer['messages']} messages, "
        f"median {_num(analyzer['median_us'], 0)} us, p90 {_num(analyzer['p90_us'], 0)} us",
        "",
        "Latency and throughput over REST (`users` customers typing at once, no pauses; "
        "all rounds pooled)",
        LEVEL_HEADER,
        *_level_lines(runs),
        "",
        "Peak memory (VmHWM, MB)",
    ]
    for run in runs:
        for process, mb in run.peak_rss_mb.items():
            lines.append(f"{run.name:<8} {process:<10} {_num(mb):>8}")
    lines += [
        "",
        "Over the stock bot, round by round: median (lowest-highest round). Latency above 1: "
        "slower; throughput below 1: fewer messages",
        RATIO_HEADER,
        *_ratio_lines(ratio_rows),
        *_long_lines(long_runs),
        "",
        summary,
    ]
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
    ratio_rows: list[dict[str, Any]],
    long_runs: dict[str, dict[str, Any]],
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
        "ratios_over_stock": ratio_rows,
        "long_conversation": long_runs,
        "interpretation": summary,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(_clean(document), indent=2) + "\n")
