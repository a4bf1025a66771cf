"""Readers of a Rasa tracker's events, as plain dicts.

rasa_sdk's `Tracker.events` and Rasa's HTTP API (GET /conversations/{id}/tracker) hand out the
same dicts, so the action server (actions/), the ticket summary (tickets/) and the agent desk's
recovery pass (agent_desk/) read them with these functions rather than each spelling out where
Rasa keeps a field. Imports nothing heavy (no Rasa), so any part may use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from contract.metadata import CLIENT_ADDRESS_KEY
from contract.slots import SENTIMENT_SCORE


def intent_of(event: dict[str, Any]) -> str | None:
    """The intent Rasa recognised in a user event."""
    return ((event.get("parse_data") or {}).get("intent") or {}).get("name")


def turns_since_resume(events: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """User events after the latest hand-back (resume) or session start, oldest first.

    An agent's hand-back starts the assistant afresh, so nothing before it counts again.
    """
    turns: list[dict[str, Any]] = []
    for event in reversed(events):
        if event.get("event") in ("resume", "session_started", "restart"):
            break
        if event.get("event") == "user":
            turns.append(event)
    return list(reversed(turns))


def delivered_turns(events: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """`turns_since_resume` without the messages that did not go through: every message the
    action server saw has a sentiment slot after it, so an earlier user event without one was
    stored while the action server was down, and the customer was told to send it again. Its
    resend is the same request once, not a repeated request or a second misunderstanding.
    The latest message is always kept (it is being analysed now)."""
    turns = turns_since_resume(events)
    if len(turns) < 2:
        return turns
    analysed: set[int] = set()
    current: int | None = None
    for event in events:
        if event.get("event") == "user":
            current = id(event)
        elif current is not None and event.get("event") == "slot":
            if event.get("name") == SENTIMENT_SCORE:
                analysed.add(current)
    return [t for t in turns[:-1] if id(t) in analysed] + [turns[-1]]


def already_analysed(events: Sequence[dict[str, Any]]) -> bool:
    """The latest user message was scored already: Rasa runs slot extraction again when a form
    starts, and the scoring sets the sentiment slot after the message."""
    for event in reversed(events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "slot" and event.get("name") == SENTIMENT_SCORE:
            return True
    return False


def conversation_id(sender_id: str, events: Iterable[dict[str, Any]]) -> str:
    """One conversation = one Rasa session of one sender; a new session is a new contact."""
    started = [e.get("timestamp") for e in events if e.get("event") == "session_started"]
    return f"{sender_id}@{int(started[-1]) if started and started[-1] else 0}"


def latest_client_address(events: Iterable[dict[str, Any]]) -> str | None:
    """The address the channel saw the latest customer message come from (REST and widget
    stamp `contract.metadata.CLIENT_ADDRESS_KEY`; Slack and Telegram have none)."""
    for event in reversed(list(events)):
        if event.get("event") == "user":
            address = (event.get("metadata") or {}).get(CLIENT_ADDRESS_KEY)
            return str(address) if address else None
    return None
