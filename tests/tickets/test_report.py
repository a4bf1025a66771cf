"""`python -m tickets.report` prints how each handoff trigger performed from the judgements."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import REPO_ROOT
from tests.redis_server import RedisServer
from tests.ticket_helpers import draft
from tickets.store import TicketStore


def report(url: str) -> dict:
    """Runs the command; returns its table as {reason: [columns...]}."""
    done = subprocess.run(
        [sys.executable, "-m", "tickets.report", "--redis-url", url],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return {line.split()[0]: line.split()[1:] for line in done.stdout.splitlines()[2:]}


def test_precision_per_reason_counts_only_judged_handoffs(
    redis_server: RedisServer, store: TicketStore
) -> None:
    verdicts = {
        "customer_request": [True, True, True, None],
        "frustration": [True, False, False, True],
        "repeated_failure": [False],
        "repeated_contact": [None],
    }
    for reason, answers in verdicts.items():
        for n, needed in enumerate(answers):
            ticket, _ = store.open_ticket(draft(f"{reason}-{n}", reason=reason))
            if needed is not None:
                store.judge(ticket.reference, needed, "alex", 1.0)

    rows = report(redis_server.url)
    # columns: handoffs, judged, needed, not needed, precision
    assert rows["customer_request"] == ["4", "3", "3", "0", "100%"]
    assert rows["frustration"] == ["4", "4", "2", "2", "50%"]
    assert rows["repeated_failure"] == ["1", "1", "0", "1", "0%"]
    assert rows["repeated_contact"] == ["1", "0", "0", "0", "-"]
    assert rows["all"] == ["10", "8", "5", "3", "62%"]


def test_the_report_says_when_redis_does_not_answer(redis_server: RedisServer) -> None:
    url = redis_server.url
    redis_server.stop()
    done = subprocess.run(
        [sys.executable, "-m", "tickets.report", "--redis-url", url],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "does not answer" in done.stderr
