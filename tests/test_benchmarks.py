"""The benchmark runs end to end at a tiny size and prints every figure, well-formed.

Timings themselves are never asserted (the machine is shared and noisy); what is checked is
that every bot answered every message as its script expects, that each figure is there,
consistent (p50 <= p90 <= p99) and the same in the printed table and the JSON file, that the
plot is written, and that an interrupted run leaves no server behind.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from benchmarks.interleave import round_size
from benchmarks.load import mentioned_orders, percentile
from benchmarks.scripts import OUR_SCRIPTS
from harness.helpers import REPO_ROOT

BOTS = ("ours", "ours_x2", "stock")
USERS = (1, 2)
MESSAGES = 8
ROUNDS = 2
LONG_TURNS = 6
ROW = re.compile(
    r"^(?P<bot>ours_x2|ours|stock)\s+(?P<users>\d+)\s+(?P<messages>\d+)\s+(?P<p50>[\d.]+)"
    r"\s+(?P<p90>[\d.]+)\s+(?P<p99>[\d.]+)\s+(?P<throughput>[\d.]+)\s+(?P<errors>\d+)"
    r"\s+(?P<unexpected>\d+)$",
    re.MULTILINE,
)
MEMORY = re.compile(
    r"^(?P<bot>ours_x2|ours|stock)\s+(?P<process>(rasa|actions)(-\d)?)\s+(?P<mb>[\d.]+)$",
    re.MULTILINE,
)
RATIO = re.compile(
    r"^(?P<bot>ours_x2|ours)\s+(?P<users>\d+)\s+(?P<rounds>\d+)\s+(?P<p50>[\d.]+)x\s+"
    r"(?P<p50_low>[\d.]+)x-(?P<p50_high>[\d.]+)x\s+(?P<throughput>[\d.]+)x\s+[\d.]+x-[\d.]+x$",
    re.MULTILINE,
)
LONG = re.compile(
    r"^(?P<bot>ours_x2|ours|stock)\s+1-6: (?P<p50>\d+)\s+last/first (?P<growth>[\d.]+)x "
    r"\(1 x 6 turns, (?P<errors>\d+) errors\)$",
    re.MULTILINE,
)
# Four Rasa servers start (ours, ours_x2's two together, stock), and the stock bot
# is trained on first use: minutes on a busy 2-core machine.
RUN_TIMEOUT_S = 1500
pytestmark = [pytest.mark.timeout(RUN_TIMEOUT_S + 300), pytest.mark.system]
ANALYZER = re.compile(
    r"TurnAnalyzer\.analyze.*: 50 messages, median (?P<median>[\d.]+) us, p90 (?P<p90>[\d.]+) us"
)


def bench_command(json_path: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "benchmarks",
        "--users",
        ",".join(map(str, USERS)),
        "--messages",
        str(MESSAGES),
        "--rounds",
        str(ROUNDS),
        "--analyzer-messages",
        "50",
        "--long-turns",
        str(LONG_TURNS),
        "--long-conversations",
        "1",
        "--json",
        str(json_path),
        *extra,
    ]


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """One run of all three bots at a tiny size (the stock bot is trained on first use)."""
    json_path = tmp_path_factory.mktemp("bench") / "latest.json"
    process = subprocess.Popen(
        bench_command(json_path),
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=RUN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        # SIGTERM, not SIGKILL: the benchmark then stops every server it started.
        process.terminate()
        stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr[-4000:]
    return {
        "stdout": stdout,
        "stderr": stderr,
        "json": json.loads(json_path.read_text()),
        "plot": json_path.with_suffix(".png"),
    }


def rows(stdout: str) -> list[dict[str, str]]:
    return [m.groupdict() for m in ROW.finditer(stdout)]


def test_every_level_of_every_bot_is_printed_and_fully_answered(
    tiny_run: dict[str, object],
) -> None:
    printed = rows(str(tiny_run["stdout"]))
    assert [(r["bot"], int(r["users"])) for r in printed] == [
        (bot, users) for bot in BOTS for users in USERS
    ], tiny_run["stdout"]
    for row in printed:
        per_round = round_size(MESSAGES, ROUNDS, int(row["users"]))
        assert int(row["messages"]) == per_round * ROUNDS
        assert int(row["errors"]) == 0 and int(row["unexpected"]) == 0, tiny_run["stdout"]
        assert 0 < float(row["p50"]) <= float(row["p90"]) <= float(row["p99"])
        assert float(row["throughput"]) > 0


def test_memory_ratios_long_conversations_and_interpretation_are_printed(
    tiny_run: dict[str, object],
) -> None:
    stdout = str(tiny_run["stdout"])
    memory = {(m["bot"], m["process"]): float(m["mb"]) for m in MEMORY.finditer(stdout)}
    assert set(memory) == {
        ("ours", "rasa"),
        ("ours", "actions"),
        *(("ours_x2", f"{kind}-{n}") for kind in ("rasa", "actions") for n in (1, 2)),
        ("stock", "rasa"),
    }
    assert all(mb > 0 for mb in memory.values())
    analyzer = ANALYZER.search(stdout)
    assert analyzer and 0 < float(analyzer["median"]) <= float(analyzer["p90"]), stdout
    ratios = [m.groupdict() for m in RATIO.finditer(stdout)]
    assert [(r["bot"], int(r["users"])) for r in ratios] == [
        (bot, users) for users in USERS for bot in ("ours", "ours_x2")
    ]
    for ratio in ratios:
        assert int(ratio["rounds"]) == ROUNDS
        assert float(ratio["p50_low"]) <= float(ratio["p50"]) <= float(ratio["p50_high"])
    long_rows = {m["bot"]: m.groupdict() for m in LONG.finditer(stdout)}
    assert set(long_rows) == set(BOTS), stdout
    assert all(int(row["errors"]) == 0 for row in long_rows.values())
    assert re.search(r"^ours: p50 [\d.]+x the stock bot's at 1 user\(s\)", stdout, re.MULTILINE)


def test_json_holds_the_printed_figures_and_the_plot_is_a_png(
    tiny_run: dict[str, object],
) -> None:
    document = tiny_run["json"]
    printed = rows(str(tiny_run["stdout"]))
    stored = [(bot, level) for bot in BOTS for level in document["bots"][bot]["levels"]]
    assert len(stored) == len(printed)
    for row, (bot, level) in zip(printed, stored, strict=True):
        assert row["bot"] == bot and int(row["users"]) == level["users"]
        assert float(row["p50"]) == pytest.approx(level["p50_ms"], abs=0.05)
        assert level["throughput_msg_s"] > 0 and level["errors"] == 0
    assert [(r["bot"], r["users"]) for r in document["ratios_over_stock"]] == [
        (bot, users) for users in USERS for bot in ("ours", "ours_x2")
    ]
    assert set(document["long_conversation"]) == set(BOTS)
    assert document["users"] == list(USERS) and document["rounds"] == ROUNDS
    plot = Path(str(tiny_run["plot"]))
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_sigterm_stops_every_server_the_run_started(tmp_path: Path) -> None:
    process = subprocess.Popen(
        bench_command(tmp_path / "latest.json", "--bots", "stock"),
        cwd=REPO_ROOT,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert process.stderr is not None
    seen = []
    for line in process.stderr:
        seen.append(line)
        if "stock bot ready" in line:
            break
    servers = psutil.Process(process.pid).children(recursive=True)
    assert servers, "".join(seen)

    process.send_signal(signal.SIGTERM)
    rest = process.communicate(timeout=120)[1]

    assert process.returncode == 130, "".join(seen) + rest
    assert "every server this run started has been stopped" in rest
    time.sleep(0.5)
    assert [s.pid for s in servers if s.is_running() and s.status() != "zombie"] == []


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


def test_bad_user_levels_and_bots_are_usage_errors() -> None:
    for args, message in (
        (["--users", "0,x"], "expected user counts like 1,4"),
        (["--bots", "ours,mine"], "expected bots among ours,ours_x2,stock"),
    ):
        completed = subprocess.run(
            [sys.executable, "-m", "benchmarks", *args],
            check=False,
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert completed.returncode == 2
        assert message in completed.stderr
