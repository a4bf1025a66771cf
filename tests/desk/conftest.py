"""Fixtures of the desk tests: a real Redis per test, desk configurations, ticket drafts."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Dict, Optional

import pytest
import yaml

from tests.desk.redis_server import RedisServer
from tests.helpers import REPO_ROOT
from tickets.model import Ticket
from tickets.store import TicketStore, connect

ALWAYS = {day: "00:00-24:00" for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
HEAD_START_S = 600.0


def write_desk_config(path: Path, days: Optional[Dict[str, Any]] = None, **desk: Any) -> Path:
    """config/desk.yml with other staffed days (default: always staffed) and desk values."""
    raw = yaml.safe_load((REPO_ROOT / "config" / "desk.yml").read_text(encoding="utf-8"))
    raw["staffed_hours"]["days"] = days if days is not None else ALWAYS
    raw["desk"].update(desk)
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A fresh Redis with appendonly, stopped after the test."""
    server = RedisServer(tmp_path / "redis")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def store(redis_server: RedisServer) -> TicketStore:
    """A ticket store on the test's Redis."""
    return TicketStore(connect(redis_server.url), frustration_head_start_s=HEAD_START_S)


def draft(
    conversation_id: str,
    reason: str = "customer_request",
    created_at: Optional[float] = None,
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
