"""Ticket drafts and desk configurations for the ticket, desk and handoff tests."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import yaml

from settings.yaml_file import read_yaml
from tickets.availability import Availability
from tickets.model import Ticket
from tickets.settings import DEFAULT_PATH
from tickets.store import connect

ALWAYS = {day: "00:00-24:00" for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
HEAD_START_S = 600.0


def write_desk_config(path: Path, days: dict[str, Any] | None = None, **desk: Any) -> Path:
    """config/desk.yml with other staffed days (default: always staffed) and desk values."""
    raw = read_yaml(DEFAULT_PATH)
    raw["staffed_hours"]["days"] = days if days is not None else ALWAYS
    raw["desk"].update(desk)
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return path


def make_available(redis_url: str, *usernames: str, now: float | None = None) -> None:
    """Agents set "Available" at the desk (tickets/availability.py), as signing in does."""
    states = Availability(connect(redis_url), idle_timeout_s=900.0)
    for name in usernames:
        states.set_available(name, time.time() if now is None else now)


def draft(
    conversation_id: str,
    reason: str = "customer_request",
    created_at: float | None = None,
    frustration: float = 0.0,
    order_number: str = "10003",
) -> Ticket:
    """A ticket as the handoff action would write it."""
    return Ticket(
        conversation_id=conversation_id,
        channel="rest",
        reason=reason,
        created_at=time.time() if created_at is None else created_at,
        customer={"sender_id": conversation_id, "email": "", "order_number": order_number},
        summary=[f"Handed over: {reason}", "Wants: where an order is", f"Order {order_number}"],
        transcript=[{"ts": 1.0, "who": "customer", "text": "where is my parcel"}],
        sentiment=[],
        frustration=frustration,
        level="frustrated" if frustration >= 0.6 else "calm",
    )
