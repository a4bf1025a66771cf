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


def _buttons(event: dict[str, Any]) -> dict[str, str]:
    """payload -> title of the buttons a bot event offered (Rasa keeps them under `data`)."""
    offered = (event.get("data") or {}).get("buttons") or event.get("buttons") or []
    return {
        str(b.get("payload")): str(b.get("title"))
        for b in offered
        if isinstance(b, dict) and b.get("payload") and b.get("title")
    }


def pressed_title(text: str, offered: dict[str, str]) -> tuple[str, bool]:
    """What a customer's message reads as: a pressed button's title instead of its payload
    ("Yes, create it", not "/affirm"). A payload no offered button explains (typed, or from a
    message the desk never saw) reads as the intent it names, in words."""
    if text in offered:
        return offered[text], True
    if text.startswith("/") and " " not in text.strip():
        name = text[1:].split("{", 1)[0].replace("_", " ")
        return f"[pressed a button: {name}]", True
    return text, False


def transcript(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Customer, assistant and agent messages in order, with notes where the bot paused.

    Each entry: {"ts", "who", "text"} plus "agent" (display name) for agent messages,
    "while_paused" for customer messages written while the assistant was paused, and "pressed"
    when the customer pressed a button (the text is then the button's title).
    """
    entries: list[dict[str, Any]] = []
    paused = False
    buttons: dict[str, str] = {}
    for event in events:
        kind = event.get("event")
        ts = event.get("timestamp")
        if kind == "user" and event.get("text"):
            text, pressed = pressed_title(str(event["text"]), buttons)
            extra = {"pressed": True} if pressed else {}
            entries.append(_entry(ts, CUSTOMER, text, while_paused=paused, **extra))
        elif kind == "bot" and event.get("text"):
            buttons = _buttons(event) or buttons
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


# A topic the classifier was less sure of than this is not put in the customer's mouth: the
# agent reads "Wants:" as what the customer asked for. Rasa's fallback threshold (config.yml,
# 0.6) only decides whether the assistant tries an answer.
MIN_TOPIC_CONFIDENCE = 0.8


def _confidence(event: dict[str, Any]) -> float:
    intent = (event.get("parse_data") or {}).get("intent") or {}
    value = intent.get("confidence")
    return 1.0 if value is None else float(value)


def latest_intents(events: Iterable[dict[str, Any]], handed_over: bool = False) -> list[str]:
    """The intents of the customer's messages in this session, most recent first, each once.

    Left out, because they say nothing sure about what the customer wants: answers to a form's
    free-text question (a refund reason, an email: contract.form_answers); messages of earlier
    sessions; intents recognised with less than MIN_TOPIC_CONFIDENCE; and, with
    `handed_over`, the message that made the assistant hand over (an outburst such as
    "UNACCEPTABLE. this is useless" gets some intent, rarely the customer's request; the
    summary quotes it as the last message anyway).
    """
    listed = list(events)
    start = max(
        (i for i, e in enumerate(listed) if e.get("event") in ("session_started", "restart")),
        default=-1,
    )
    skipped = {id(event) for event in answers(listed)}
    users = [e for e in listed[start + 1 :] if e.get("event") == "user"]
    if handed_over and users:
        skipped.add(id(users[-1]))
    seen: list[str] = []
    for event in reversed(users):
        if id(event) in skipped or _confidence(event) < MIN_TOPIC_CONFIDENCE:
            continue
        name = intent_of(event)
        if name and name not in seen:
            seen.append(name)
    return seen
