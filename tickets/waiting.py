"""What a handed-over customer is told about the wait, and when a wait needs an apology.

While at least one agent is available at the desk (tickets/availability.py) the customer hears
their place in the queue and an estimate; with nobody available, whatever the timetable says,
the time by which a person will reply (the next staffed opening, or now, plus the promised
minutes). Estimates are deliberately
coarse (whole minutes from configured averages): they are promises to a customer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from contract.metadata import RESPONSE_AFTER_HOURS, RESPONSE_AGENT_JOINED, RESPONSE_QUEUE
from tickets.hours import format_reply_by, reply_by, staffed_from
from tickets.model import CLAIMED, Ticket
from tickets.settings import QueueConfig, TicketConfig


@dataclass(frozen=True)
class NextStep:
    """The response that tells the customer what happens next, and its template values."""

    response: str
    params: dict[str, Any]


def wait_minutes(position: int, queue: QueueConfig, agents: int | None = None) -> int:
    """Expected minutes until a person replies to the customer at `position` (1-based), with
    `agents` answering (the configured usual number when not known)."""
    rounds = math.ceil(max(1, position) / max(1, agents or queue.agents_on_duty))
    return max(1, math.ceil(rounds * queue.average_handling_minutes))


def next_step(
    ticket: Ticket, position: int | None, config: TicketConfig, now: datetime, available: int
) -> NextStep:
    """utter_handoff_queue while `available` agents (> 0) answer, utter_handoff_after_hours
    with nobody available.

    A conversation handed over again while an agent already holds its ticket is told who.
    """
    if ticket.status == CLAIMED:
        return NextStep(RESPONSE_AGENT_JOINED, {"agent": ticket.holder_name})
    reference = ticket.reference
    if available > 0:
        place = position or 1
        return NextStep(
            RESPONSE_QUEUE,
            {
                "ticket_reference": reference,
                "queue_position": place,
                "wait_minutes": wait_minutes(place, config.queue, available),
            },
        )
    return NextStep(
        RESPONSE_AFTER_HOURS,
        {
            "ticket_reference": reference,
            "reply_by": format_reply_by(config.hours, reply_by(config.hours, now), now),
        },
    )


def notice_due_at(ticket: Ticket, config: TicketConfig, delay_s: float) -> float:
    """When an unclaimed ticket earns the customer an apology: `delay_s` after it was opened
    with agents available, else `delay_s` after the timetable's next opening (the customer was
    promised a reply by then, not sooner).
    """
    if not ticket.after_hours:
        return ticket.created_at + delay_s
    created = datetime.fromtimestamp(ticket.created_at, tz=timezone.utc)
    return staffed_from(config.hours, created).timestamp() + delay_s
