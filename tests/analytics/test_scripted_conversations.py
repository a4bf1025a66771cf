"""The analytics figures match a scripted set of conversations exactly.

A system of its own (the routine flows change the demo shop's orders, so it cannot share the
e2e stack), staffed on one far weekday only, so every conversation counts as after hours
whatever the time of the run. Five customers talk over REST; agents claim, reply and judge
through the desk's own code with a clock set relative to each ticket, so times are exact.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from agent_desk.accounts import Accounts
from agent_desk.desk import Desk
from agent_desk.rasa_api import RasaClient
from agent_desk.settings import load_desk_settings
from analytics.counts import Period
from analytics.recorder import Recorder
from analytics.report import main as report_main
from analytics.report import tables_for
from analytics.tables import Table
from harness.stacks import private_settings, running_stack
from harness.ticket_helpers import write_desk_config
from launcher.stack import Stack
from tests.e2e.customer import Customer
from tickets.model import Ticket
from tickets.store import TicketStore, connect

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A running system whose team works only three days from now: all of today is after hours."""
    workdir = tmp_path_factory.mktemp("analytics")
    far_day = WEEKDAYS[(datetime.now(timezone.utc).weekday() + 3) % 7]
    config = write_desk_config(workdir / "desk.yml", days={far_day: "09:00-10:00"})
    settings = private_settings(workdir / "var", "analytics-test-token")
    with running_stack(settings, {"DESK_CONFIG": str(config)}) as running:
        yield running


class Agents:
    """The desk's own code, acting as alex at a moment relative to the ticket in hand."""

    def __init__(self, stack: Stack) -> None:
        env = {**stack.env, "RASA_URL": stack.settings.rasa_url}
        # Secrets reach only the process that needs them (launcher/stack.py): pass the token.
        self.settings = load_desk_settings({**env, "RASA_API_TOKEN": stack.settings.api_token})
        client = connect(stack.settings.redis.url)
        self.store = TicketStore(client, 0.0)
        self.now = 0.0
        self.desk = Desk(
            self.store,
            RasaClient(stack.settings.rasa_url, stack.settings.api_token, 3, 30),
            self.settings,
            lambda: self.now,
            Recorder(client, self.settings.tickets.hours, self.settings.tickets.idle_timeout_s),
        )
        agent = Accounts.load(self.settings.agents_file).get("alex")
        assert agent is not None
        self.alex = agent

    def ticket_of(self, customer: Customer) -> Ticket:
        [ticket] = [t for t in self.store.queue() if t.conversation_id == customer.sender_id]
        return ticket


def totals(table: Table) -> dict[str, object]:
    """The table's total line by column."""
    assert table.total is not None
    return dict(zip(table.columns, table.total, strict=True))


def test_figures_match_the_scripted_conversations(stack: Stack) -> None:
    def new(label: str) -> Customer:
        return Customer.new(stack.settings, label)

    delivery, refund, cancel, lost, person = (
        new(n) for n in ("delivery", "refund", "cancel", "lost", "person")
    )
    assert "delayed" in delivery.ask("hi, where is my order #10003?")
    refund.ask("I want my money back")
    assert "email" in refund.ask("10002")  # the owner proves the order is theirs first
    refund.ask("alice@example.com")
    assert "please check" in refund.ask("the zip on the jacket broke after one day")
    created = refund.ask("yes")
    reference = re.search(r"rf-[a-z0-9]{6}", created)
    assert reference, created
    assert "should reach you by" in refund.ask(f"what's the status of refund {reference.group(0)}?")
    assert "email" in cancel.ask("please cancel order 10005")
    assert "please check" in cancel.ask("carol@example.com")
    assert "is cancelled" in cancel.ask("yes")
    lost.ask("blorf wuzzle gnark")
    lost.ask("zzkq plimf vorb")
    assert lost.slot("handoff_reason") == "repeated_failure"
    person.ask("can I talk to a real person please")
    assert person.slot("handoff_reason") == "customer_request"

    agents = Agents(stack)
    held = agents.ticket_of(person)
    agents.now = held.created_at + 90
    agents.desk.claim(held.reference, agents.alex)
    agents.now = held.created_at + 150
    agents.desk.reply(held.reference, agents.alex, "Hello, Alex here. How can I help?")
    agents.desk.reply(held.reference, agents.alex, "A second reply does not count as first.")
    agents.desk.judge(held.reference, agents.alex, True)
    unclaimed = agents.ticket_of(lost)
    agents.desk.judge(unclaimed.reference, agents.alex, True)
    agents.desk.judge(unclaimed.reference, agents.alex, False)  # changed mind: counts once

    zone = agents.settings.tickets.hours.timezone
    today = datetime.now(timezone.utc).astimezone(zone).date()
    period = Period(today - timedelta(days=1), today + timedelta(days=1))
    client = connect(stack.settings.redis.url)
    tables = {t.slug: t for t in tables_for(client, period, zone)}

    assert totals(tables["containment"]) == {
        "Day": "All days",
        "Conversations": 5,
        "Handed to a person": 2,
        "Resolved by the assistant": 3,
        "Containment (%)": 60.0,
    }
    handoffs = totals(tables["handoffs"])
    assert handoffs["Customer asked for a person"] == 1
    assert handoffs["Assistant kept failing"] == 1
    assert handoffs["All handoffs"] == 2
    precision = {row[0]: row[1:] for row in tables["precision"].rows}
    assert precision["Customer asked for a person"] == (1, 1, 1, 0, 100.0)
    assert precision["Assistant kept failing"] == (1, 1, 0, 1, 0.0)
    assert tables["precision"].total == ("All triggers", 2, 2, 1, 1, 50.0)
    assert totals(tables["fallbacks"])["Messages not understood"] == 2
    examples = [row[2] for row in tables["fallback_examples"].rows]
    assert examples == ["zzkq plimf vorb", "blorf wuzzle gnark"]
    assert totals(tables["response_times"]) == {
        "Day": "All days",
        "Handoffs": 2,
        "Claimed": 1,
        "Not claimed": 1,
        "Mean time to claim (s)": 90.0,
        "Mean time to first reply (s)": 150.0,
        "Told nobody had claimed yet": 0,
        "Handoffs after hours": 2,
        "Conversations after hours": 5,
    }
    assert dict(tables["claim_times"].rows)["1-5 min"] == 1
    assert sum(float(n) for _, n in tables["claim_times"].rows) == 1
    assert totals(tables["outcomes"]) == {
        "Day": "All days",
        "Deliveries answered": 1,
        "Refund statuses answered": 1,
        "Refunds created": 1,
        "Orders cancelled": 1,
    }
    # No web chat in this script: the figures of that channel are all empty.
    web = {
        t.slug: t for t in tables_for(client, Period(period.start, period.end, "socketio"), zone)
    }
    assert totals(web["containment"])["Conversations"] == 0
    assert web["fallback_examples"].rows == []


def test_make_report_prints_the_figures_and_writes_png_charts(
    stack: Stack, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Customer.new(stack.settings, "report").ask("where is order 10001?")
    out = tmp_path / "charts"
    assert (
        report_main(["--redis-url", stack.settings.redis.url, "--days", "2", "--out", str(out)])
        == 0
    )
    printed = capsys.readouterr().out
    assert "Containment: conversations resolved without a person" in printed
    headline = re.search(r"^Conversations: \d+ \(\d+ handed to a person\)$", printed, re.M)
    assert headline and headline.start() < printed.index("Containment: conversations")
    assert "Precision per trigger" in printed and "Routine outcomes" in printed
    charts = sorted(p.name for p in out.iterdir())
    assert charts == [
        "claim_times.png",
        "containment.png",
        "handoffs.png",
        "misunderstood.png",
        "outcomes.png",
        "precision.png",
    ]
    assert all((out / name).read_bytes().startswith(b"\x89PNG") for name in charts)


def test_make_report_in_korean_prints_korean_figures_and_draws_hangul(
    stack: Stack, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Customer.new(stack.settings, "report-ko").ask("10001 주문 어디쯤 왔어요?")
    out = tmp_path / "charts"
    args = ["--redis-url", stack.settings.redis.url, "--days", "2", "--out", str(out)]
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        assert report_main([*args, "--language", "ko"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("통계 ") and "모든 채널" in printed
    assert re.search(r"^대화: \d+ \(상담원 연결 \d+건\)$", printed, re.M)
    assert "자동 해결률: 상담원 없이 해결된 대화" in printed and "날짜" in printed
    assert "Containment" not in printed and "All days" not in printed
    assert len(list(out.glob("*.png"))) == 6
    # matplotlib warns for each letter its font lacks: a box (tofu) in the PNG.
    assert [str(w.message) for w in seen if "missing from" in str(w.message)] == []
