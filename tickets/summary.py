"""A short summary of a conversation for the agent, written from its structured facts.

Slots, intents, the actions the assistant ran and what they answered are more reliable than
re-reading free text, and they are what an agent needs first: what the customer wants, which
order, what the assistant already checked or did, and how the customer is doing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from contract.labels import cue_label
from contract.metadata import CUSTOMER, RESPONSE_METADATA_KEY
from contract.slots import FRUSTRATION_LEVEL
from contract.topics import load_topics
from tickets.model import REASON_LABELS
from tickets.transcript import latest_intents, transcript

# Actions that did something for the customer, as the agent reads them.
ACTION_LABELS: dict[str, str] = {
    "action_check_delivery": "Checked the delivery status",
    "action_submit_refund": "Tried to create a refund",
    "action_check_refund_status": "Looked up the refund",
    "action_cancel_order": "Tried to cancel the order",
}

# What an action did when its answer was this response: "Tried to ..." would undersell a success.
DONE_LABELS: dict[str, str] = {
    "utter_refund_created": "Created a refund",
    "utter_order_cancelled": "Cancelled the order",
    "utter_refund_status": "Gave the refund status",
}

# Answers given inside forms (no action of their own) that an agent must know about.
OUTCOME_RESPONSE_PREFIXES: tuple[str, ...] = (
    "utter_refund_ineligible",
    "utter_order_not_found",
    "utter_shop_unavailable",
    "utter_cancel_refused",
)

MAX_QUOTE = 160
MAX_ACTIONS = 4


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return f"“{text[: MAX_QUOTE - 1]}…”" if len(text) > MAX_QUOTE else f"“{text}”"


def assistant_actions(events: Iterable[dict[str, Any]]) -> list[tuple[str, str]]:
    """(what the assistant did, what it told the customer), oldest first.

    Rasa logs an action's ActionExecuted event before the bot messages it produced, so each
    bot message is attributed to the action event right before it.
    """
    done: list[tuple[str, str]] = []
    current: str | None = None
    for event in events:
        kind = event.get("event")
        if kind == "action":
            current = event.get("name")
        elif kind == "user":
            current = None
        elif kind == "bot" and event.get("text"):
            response = str((event.get("metadata") or {}).get(RESPONSE_METADATA_KEY) or "")
            if current in ACTION_LABELS:
                done.append((DONE_LABELS.get(response, ACTION_LABELS[current]), event["text"]))
                current = None  # one outcome per action is enough
            elif response.startswith(OUTCOME_RESPONSE_PREFIXES):
                done.append(("Told the customer", event["text"]))
    return done


def _customer_state(slots: dict[str, Any], turns: Sequence[dict[str, Any]]) -> str | None:
    if turns:
        last = turns[-1]
        cues = ", ".join(cue_label(str(r)) for r in last.get("reasons") or []) or "none named"
        return (
            f"Customer state: {last.get('level', 'unknown')} "
            f"(frustration {float(last.get('smoothed', 0.0)):.2f} over {len(turns)} turns; "
            f"latest cues: {cues})"
        )
    level = slots.get(FRUSTRATION_LEVEL)
    return f"Customer state: {level}" if level else None


def summarize(
    slots: dict[str, Any],
    events: Sequence[dict[str, Any]],
    reason: str,
    turns: Sequence[dict[str, Any]] = (),
) -> list[str]:
    """The summary as a few lines, most important first."""
    lines = [f"Handed over: {REASON_LABELS.get(reason, reason)}"]
    labels = load_topics().labels
    topics = [labels[i] for i in latest_intents(events, handed_over=True) if i in labels]
    if topics:
        lines.append("Wants: " + "; ".join(topics[:3]))
    facts = [
        f"{label} {slots[name]}"
        for name, label in (
            ("order_number", "Order"),
            ("verified_email", "Verified email"),
            ("refund_reference", "Refund"),
        )
        if slots.get(name)
    ]
    typed = slots.get("email")
    if typed and str(typed).strip().lower() != str(slots.get("verified_email") or "").lower():
        facts.append(f"Email typed, not verified {typed}")
    if facts:
        lines.append(" · ".join(facts))
    if slots.get("refund_reason"):
        lines.append(f"Refund reason given: {_quote(str(slots['refund_reason']))}")
    for label, said in assistant_actions(events)[-MAX_ACTIONS:]:
        lines.append(f"{label}: {_quote(said)}")
    state = _customer_state(slots, turns)
    if state:
        lines.append(state)
    last_words = [e["text"] for e in transcript(events) if e["who"] == CUSTOMER]
    if last_words:
        lines.append(f"Last message: {_quote(last_words[-1])}")
    return lines
