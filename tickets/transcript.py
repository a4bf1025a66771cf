"""A conversation's messages as an agent reads them, from Rasa tracker events.

Works on plain event dicts, which is what both the action server (rasa_sdk Tracker.events)
and Rasa's HTTP API (GET /conversations/{id}/tracker) hand out, so the ticket snapshot and
the desk's live view show the same thing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from contract.events import intent_of
from contract.form_answers import answers
from contract.metadata import AGENT, AGENT_METADATA_KEY, ASSISTANT, CUSTOMER

NOTE = "note"  # not a message: the conversation was handed over or handed back


def _entry(ts: Any, who: str, text: str, **extra: Any) -> dict[str, Any]:
    return {"ts": float(ts or 0.0), "who": who, "text": text, **extra}


def transcript(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Customer, assistant and agent messages in order, with notes where the bot paused.

    Each entry: {"ts", "who", "text"} plus "agent" (display name) for agent messages and
    "while_paused" for customer messages written while the assistant was paused.
    """
    entries: list[dict[str, Any]] = []
    paused = False
    for event in events:
        kind = event.get("event")
        ts = event.get("timestamp")
        if kind == "user" and event.get("text"):
            entries.append(_entry(ts, CUSTOMER, event["text"], while_paused=paused))
        elif kind == "bot" and event.get("text"):
            agent = (event.get("metadata") or {}).get(AGENT_METADATA_KEY)
            if agent:
                entries.append(_entry(ts, AGENT, event["text"], agent=agent))
            else:
                entries.append(_entry(ts, ASSISTANT, event["text"]))
        elif kind == "pause" and not paused:
            paused = True
            entries.append(_entry(ts, NOTE, "The assistant handed over and is paused."))
        elif kind == "resume" and paused:
            paused = False
            entries.append(_entry(ts, NOTE, "Handed back: the assistant answers again."))
        elif kind in ("restart", "session_started"):
            paused = False
    return entries


def latest_intents(events: Iterable[dict[str, Any]]) -> list[str]:
    """The intents of the customer's messages, most recent first, each once.

    Answers to a form's free-text question (a refund reason, an email) say nothing about what
    the customer wants, so their intents are left out (contract.form_answers).
    """
    seen: list[str] = []
    listed = list(events)
    skipped = {id(event) for event in answers(listed)}
    for event in reversed(listed):
        if event.get("event") != "user" or id(event) in skipped:
            continue
        name = intent_of(event)
        if name and name not in seen:
            seen.append(name)
    return seen
