"""Which customer messages answered a form's question.

A message typed while a form asks for something (a refund reason, the email on an order, an
order number) is an answer, whatever intent the NLU gave it ("The kettle arrived with a
cracked lid" may read as out_of_scope): it must never count as a misunderstanding, start a
topic, or tell the agent the customer wanted something else. The action server
(actions/turn_analysis.py) and the ticket summary (tickets/transcript.py) read a tracker's
events with this one rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

REQUESTED_SLOT = "requested_slot"


def answers(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The user events sent while a form was asking for a slot, in order.

    The state that counts is the one before the message: the slot the form requested last,
    while its loop was active.
    """
    requested: str | None = None
    loop: str | None = None
    found: list[dict[str, Any]] = []
    for event in events:
        kind = event.get("event")
        if kind == "slot" and event.get("name") == REQUESTED_SLOT:
            requested = event.get("value")
        elif kind == "active_loop":
            loop = event.get("name")
            requested = requested if loop else None
        elif kind in ("restart", "session_started"):
            requested, loop = None, None
        elif kind == "user" and loop and requested is not None:
            found.append(event)
    return found


def answer_times(events: Iterable[dict[str, Any]]) -> set[float]:
    """Timestamps of the `answers`: how the action server tells them apart among the user
    events it counts (a reason typed into a form is an answer the form validates, not a
    message the assistant failed on)."""
    return {event.get("timestamp") or 0.0 for event in answers(events)}
