"""What a handed-over customer is told about the wait, and when a wait needs an apology.

While the team is on duty the customer hears their place in the queue and an estimate;
outside staffed hours, the time by which a person will reply. Estimates are deliberately
coarse (whole minutes from configured averages): they are promises to a customer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from contract.metadata import RESPONSE_AFTER_HOURS, RESPONSE_AGENT_JOINED, RESPONSE_QUEUE
from tickets.hours import format_reply_by, is_staffed, reply_by, staffed_from
from tickets.model import CLAIMED, Ticket
from tickets.settings import QueueConfig, TicketConfig


@dataclass(frozen=True)
class NextStep:
    """The response that tells the customer what happens next, and its template values."""

    response: str
    params: dict[str, Any]


def wait_minutes(position: int, queue: QueueConfig) -> int:
    """Expected minutes until a person replies to the customer at `position` (1-based)."""
    rounds = math.ceil(max(1, position) / queue.agents_on_duty)
    return max(1, math.ceil(rounds * queue.average_handling_minutes))


def next_step(
    ticket: Ticket, position: int | None, config: TicketConfig, now: datetime
) -> NextStep:
    """utter_handoff_queue while staffed, utter_handoff_after_hours otherwise.

    A conversation handed over again while an agent already holds its ticket is told who.
    """
    if ticket.status == CLAIMED:
        return NextStep(RESPONSE_AGENT_JOINED, {"agent": ticket.holder_name})
    reference = ticket.reference
    if is_staffed(config.hours, now):
        place = position or 1
        return NextStep(
            RESPONSE_QUEUE,
            {
                "ticket_reference": reference,
                "queue_position": place,
                "wait_minutes": wait_minutes(place, config.queue),
            },
        )
    return NextStep(
        RESPONSE_AFTER_HOURS,
        {
            "ticket_reference": reference,
            "reply_by": format_reply_by(config.hours, reply_by(config.hours, now), now),
        },
    )


def notice_due_at(created_at: float, config: TicketConfig, delay_s: float) -> float:
    """When an unclaimed ticket earns the customer an apology: `delay_s` after the team is on duty.

    A ticket opened at night is not "late" until the team has had `delay_s` after opening.
    """
    created = datetime.fromtimestamp(created_at, tz=timezone.utc)
    return staffed_from(config.hours, created).timestamp() + delay_s
