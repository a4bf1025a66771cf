"""The benchmark runs end to end at a tiny size and prints every figure, well-formed.

Timings themselves are never asserted (the machine is shared and noisy); what is checked is
that both bots answered every message as their scripts expect and that each figure is there,
consistent (p50 <= p90 <= p99) and the same in the printed table and the JSON file.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from benchmarks.load import mentioned_orders, percentile
from benchmarks.scripts import OUR_SCRIPTS
from tests.helpers import REPO_ROOT

USERS = (1, 2)
MESSAGES = 6
ROW = re.compile(
    r"^(?P<bot>ours|stock)\s+(?P<users>\d+)\s+(?P<messages>\d+)\s+(?P<p50>[\d.]+)\s+(?P<p90>[\d.]+)"
    r"\s+(?P<p99>[\d.]+)\s+(?P<throughput>[\d.]+)\s+(?P<errors>\d+)\s+(?P<unexpected>\d+)$",
    re.MULTILINE,
)
MEMORY = re.compile(
    r"^(?P<bot>ours|stock)\s+(?P<process>rasa|actions)\s+(?P<mb>[\d.]+)$", re.MULTILINE
)
RATIO = re.compile(
    r"^\s*(?P<users>\d+)\s+(?P<p50>[\d.]+)x\s+(?P<p90>[\d.]+)x\s+(?P<throughput>[\d.]+)x$",
    re.MULTILINE,
)
ANALYZER = re.compile(
    r"TurnAnalyzer\.analyze.*: 50 messages, median (?P<median>[\d.]+) us, p90 (?P<p90>[\d.]+) us"
)


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """One benchmark run at a tiny size (the stock bot is trained on first use, then cached)."""
    json_path = tmp_path_factory.mktemp("bench") / "latest.json"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks",
            "--users",
            ",".join(map(str, USERS)),
            "--messages",
            str(MESSAGES),
            "--analyzer-messages",
            "50",
            "--json",
            str(json_path),
        ],
        check=False,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=840,
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    return {
        "stdout": completed.stdout,
        "stderr": completed.stderr,
        "json": json.loads(json_path.read_text()),
    }


def rows(stdout: str) -> list[dict[str, str]]:
    return [m.groupdict() for m in ROW.finditer(stdout)]


def test_every_level_of_both_bots_is_printed_and_fully_answered(
    tiny_run: dict[str, object],
) -> None:
    printed = rows(str(tiny_run["stdout"]))
    assert [(r["bot"], int(r["users"])) for r in printed] == [
        (bot, users) for bot in ("ours", "stock") for users in USERS
    ], tiny_run["stdout"]
    for row in printed:
        assert int(row["messages"]) == MESSAGES
        assert int(row["errors"]) == 0 and int(row["unexpected"]) == 0, tiny_run["stdout"]
        assert 0 < float(row["p50"]) <= float(row["p90"]) <= float(row["p99"])
        assert float(row["throughput"]) > 0


def test_memory_analyser_ratios_and_interpretation_are_printed(tiny_run: dict[str, object]) -> None:
    stdout = str(tiny_run["stdout"])
    memory = {(m["bot"], m["process"]): float(m["mb"]) for m in MEMORY.finditer(stdout)}
    assert set(memory) == {("ours", "rasa"), ("ours", "actions"), ("stock", "rasa")}
    assert all(mb > 0 for mb in memory.values())
    analyzer = ANALYZER.search(stdout)
    assert analyzer and 0 < float(analyzer["median"]) <= float(analyzer["p90"]), stdout
    ratios = [m.groupdict() for m in RATIO.finditer(stdout)]
    assert [int(r["users"]) for r in ratios] == list(USERS)
    assert all(float(r[k]) > 0 for r in ratios for k in ("p50", "p90", "throughput"))
    assert re.search(
        r"^At 1 user\(s\) a message to our bot takes [\d.]+x the stock bot's median",
        stdout,
        re.MULTILINE,
    )


def test_json_holds_the_printed_figures(tiny_run: dict[str, object]) -> None:
    document = tiny_run["json"]
    printed = rows(str(tiny_run["stdout"]))
    stored = [
        (bot, level) for bot in ("ours", "stock") for level in document["bots"][bot]["levels"]
    ]
    assert len(stored) == len(printed)
    for row, (bot, level) in zip(printed, stored, strict=False):
        assert row["bot"] == bot and int(row["users"]) == level["users"]
        assert float(row["p50"]) == pytest.approx(level["p50_ms"], abs=0.05)
        assert level["errors"] == 0
    assert [r["users"] for r in document["ratios_ours_over_stock"]] == list(USERS)
    assert document["users"] == list(USERS) and document["messages_per_level"] == MESSAGES
    assert document["interpretation"].startswith("At 1 user(s)")


def test_percentile_is_a_measured_value_by_nearest_rank() -> None:
    values = [10.0, 20.0, 30.0, 40.0]
    assert [percentile(values, p) for p in (1, 25, 50, 51, 90, 99, 100)] == [
        10,
        10,
        20,
        30,
        40,
        40,
        40,
    ]


def test_contact_history_is_reset_for_exactly_the_orders_the_scripts_ask_about() -> None:
    assert mentioned_orders(OUR_SCRIPTS) == ["10001", "10002", "10003"]


def test_bad_user_levels_are_a_usage_error() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--users", "0,x"],
        check=False,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 2
    assert "expected user counts like 1,4" in completed.stderr
