"""Staffed hours, the wait estimate and the unclaimed-notice time, at fixed moments."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from harness.ticket_helpers import draft
from tickets.hours import format_reply_by, is_staffed, reply_by, staffed_from
from tickets.model import CLAIMED
from tickets.settings import ConfigError, QueueConfig, load_ticket_config, parse_ticket_config
from tickets.waiting import next_step, notice_due_at, wait_minutes

LONDON = ZoneInfo("Europe/London")
PATH = Path("desk.yml")


def config(days: dict, reply_within: int = 60, zone: str = "Europe/London"):
    return parse_ticket_config(
        {
            "staffed_hours": {
                "timezone": zone,
                "days": days,
                "reply_within_minutes_of_opening": reply_within,
            },
            "queue": {
                "average_handling_minutes": 6,
                "agents_on_duty": 2,
                "frustration_head_start_minutes": 10,
            },
            "handoff_limits": {
                "per_conversation": "3 per hour",
                "per_address": "10 per hour",
                "unlimited_addresses": ["127.0.0.1"],
            },
            "availability": {"idle_minutes": 15},
        },
        PATH,
    )


WEEKDAYS = config({d: "09:00-17:00" for d in ("mon", "tue", "wed", "thu", "fri")})
SPLIT = config({"mon": ["13:00-17:00", "08:00-12:00"]})


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def test_staffed_inside_a_window_only() -> None:
    hours = WEEKDAYS.hours
    assert is_staffed(hours, at("2026-11-23 09:00"))  # Monday, opening minute
    assert not is_staffed(hours, at("2026-11-23 17:00"))  # closing minute is closed
    assert not is_staffed(hours, at("2026-11-28 11:00"))  # Saturday
    # The same moment written in another zone is judged in the configured one.
    assert is_staffed(hours, datetime.fromisoformat("2026-11-23T10:30:00+01:00"))


def test_next_opening_skips_the_weekend_and_lunch() -> None:
    assert staffed_from(WEEKDAYS.hours, at("2026-11-27 18:30")) == at("2026-11-30 09:00")
    assert staffed_from(SPLIT.hours, at("2026-11-23 12:30")) == at("2026-11-23 13:00")
    assert staffed_from(SPLIT.hours, at("2026-11-23 10:00")) == at("2026-11-23 10:00")


def test_reply_by_is_opening_plus_the_promise_and_reads_naturally() -> None:
    hours = WEEKDAYS.hours
    friday_night = at("2026-11-27 22:00")
    promised = reply_by(hours, friday_night)
    assert promised == at("2026-11-30 10:00")
    assert (
        format_reply_by(hours, promised, friday_night) == "10:00 on Mon 30 Nov (Europe/London time)"
    )
    early = at("2026-11-24 06:00")
    assert (
        format_reply_by(hours, reply_by(hours, early), early) == "10:00 today (Europe/London time)"
    )
    late = at("2026-11-24 20:00")
    assert (
        format_reply_by(hours, reply_by(hours, late), late) == "10:00 tomorrow (Europe/London time)"
    )


def test_wait_estimate_grows_with_the_queue_per_agent() -> None:
    queue = QueueConfig(
        average_handling_minutes=6, agents_on_duty=2, frustration_head_start_minutes=0
    )
    assert [wait_minutes(p, queue) for p in (1, 2, 3, 4, 5)] == [6, 6, 12, 12, 18]


def test_the_customer_hears_the_queue_while_an_agent_is_available_whatever_the_timetable() -> None:
    ticket = draft("c")
    ticket.reference = "T-00007"
    staffed = next_step(ticket, 3, WEEKDAYS, at("2026-11-23 10:00"), available=2)
    assert staffed.response == "utter_handoff_queue"
    assert staffed.params == {
        "ticket_reference": "T-00007",
        "queue_position": 3,
        "wait_minutes": 12,
    }
    # 22:12, long after the timetable's 17:00, with one agent still available: live, and the
    # wait counts the one agent actually there.
    late = next_step(ticket, 3, WEEKDAYS, at("2026-11-23 22:12"), available=1)
    assert late.response == "utter_handoff_queue" and late.params["wait_minutes"] == 18
    night = next_step(ticket, 3, WEEKDAYS, at("2026-11-23 23:00"), available=0)
    assert night.response == "utter_handoff_after_hours"
    assert night.params == {
        "ticket_reference": "T-00007",
        "reply_by": "10:00 tomorrow (Europe/London time)",
    }
    # Inside the timetable with everybody away: a reply time, not a queue nobody works.
    away = next_step(ticket, 3, WEEKDAYS, at("2026-11-23 10:00"), available=0)
    assert away.response == "utter_handoff_after_hours"
    assert away.params["reply_by"] == "11:00 today (Europe/London time)"
    ticket.status, ticket.holder_name = CLAIMED, "Sam"
    held = next_step(ticket, None, WEEKDAYS, at("2026-11-23 10:00"), available=0)
    assert (held.response, held.params) == ("utter_handoff_agent_joined", {"agent": "Sam"})


def test_the_unclaimed_notice_counts_from_opening_time() -> None:
    during = draft("c", created_at=at("2026-11-23 10:00").timestamp())
    assert notice_due_at(during, WEEKDAYS, 300) == during.created_at + 300
    # Live at 22:12 (an agent was available): due 5 minutes later, not at next opening.
    late = draft("c", created_at=at("2026-11-23 22:12").timestamp())
    assert notice_due_at(late, WEEKDAYS, 300) == late.created_at + 300
    saturday = draft("c", created_at=at("2026-11-28 11:00").timestamp())
    saturday.after_hours = True
    assert notice_due_at(saturday, WEEKDAYS, 300) == at("2026-11-30 09:05").timestamp()


@pytest.mark.parametrize(
    "days, message",
    [
        ({"mon": "9-17"}, "must look like 09:00-17:30"),
        ({"mon": "17:00-09:00"}, "ends before it starts"),
        ({"monday": "09:00-17:00"}, "'staffed_hours.days.monday' is not a weekday"),
        ({}, "at least one window"),
    ],
)
def test_a_wrong_hours_setting_names_the_problem(days: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        config(days)


def test_unknown_time_zone_is_refused() -> None:
    with pytest.raises(ConfigError, match="'staffed_hours.timezone' is not a known time zone"):
        config({"mon": "09:00-17:00"}, zone="Mars/Olympus")


def test_the_shipped_configuration_loads() -> None:
    load_ticket_config.cache_clear()
    loaded = load_ticket_config()
    assert loaded.queue.agents_on_duty >= 1 and loaded.hours.windows
