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


def dialogue_lines(events: Sequence[dict[str, Any]]) -> list[tuple[str, str]]:
    """("bot" or "user", text) of the conversation's lines before the latest user message, since
    the latest hand-back (resume) or session start, oldest first: what mood.dialogue reads the
    customer's corrections and repeats from. Lines without text (buttons only) and messages
    that did not go through (`delivered_turns`: the customer sent them again) are left out."""
    analysed = _analysed_messages(events)
    lines: list[tuple[str, str]] = []
    latest_seen = False
    for event in reversed(events):
        kind = event.get("event")
        if kind in ("resume", "session_started", "restart"):
            break
        if kind not in ("user", "bot"):
            continue
        if kind == "user" and not latest_seen:
            latest_seen = True
            continue
        if kind == "user" and id(event) not in analysed:
            continue
        if latest_seen and event.get("text"):
            lines.append((str(kind), str(event["text"])))
    return list(reversed(lines))


def slot_by_turn(events: Sequence[dict[str, Any]], name: str) -> tuple[Any, list[Any]]:
    """Since the latest hand-back (resume) or session start: the value the slot `name` was
    given before the first user message (None if none), and the value it was given after each
    user message before the latest one, oldest first (messages after which it was not set are
    left out): e.g. the conversation's smoothed mood turn by turn."""
    start: Any = None
    values: list[Any] = []
    pending: list[Any] = []
    seen_user = False
    for event in events:
        kind = event.get("event")
        if kind in ("resume", "session_started", "restart"):
            start, values, pending, seen_user = None, [], [], False
        elif kind == "user":
            if seen_user:
                values += pending[-1:]
            elif pending:
                start = pending[-1]
            pending, seen_user = [], True
        elif kind == "slot" and event.get("name") == name:
            pending.append(event.get("value"))
    return start, values


def delivered_turns(events: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """`turns_since_resume` without the messages that did not go through: every message the
    action server saw has a sentiment slot after it, so an earlier user event without one was
    stored while the action server was down, and the customer was told to send it again. Its
    resend is the same request once, not a repeated request or a second misunderstanding.
    The latest message is always kept (it is being analysed now)."""
    turns = turns_since_resume(events)
    if len(turns) < 2:
        return turns
    analysed = _analysed_messages(events)
    return [t for t in turns[:-1] if id(t) in analysed] + [turns[-1]]


def _analysed_messages(events: Sequence[dict[str, Any]]) -> set[int]:
    """The `id` of every user event the action server analysed (a sentiment slot after it)."""
    analysed: set[int] = set()
    current: int | None = None
    for event in events:
        if event.get("event") == "user":
            current = id(event)
        elif current is not None and event.get("event") == "slot":
            if event.get("name") == SENTIMENT_SCORE:
                analysed.add(current)
    return analysed


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
