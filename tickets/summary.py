"""A short summary of a conversation for the agent, written from its structured facts.

Slots, intents, the actions the assistant ran and what they answered are more reliable than
re-reading free text, and they are what an agent needs first: what the customer wants, which
order, what the assistant already checked or did, and how the customer is doing.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from tickets.model import REASON_LABELS
from tickets.transcript import latest_intents

# What a customer intent means for the agent. Chit-chat and "I want a person" add nothing.
INTENT_TOPICS: Dict[str, str] = {
    "check_delivery": "where an order is",
    "request_refund": "a refund",
    "refund_status": "the status of a refund",
    "cancel_order": "to cancel an order",
    "return_policy": "the return policy",
    "shipping_info": "shipping times and costs",
    "out_of_scope": "something the assistant does not handle",
}

# Actions that did something for the customer, as the agent reads them.
ACTION_LABELS: Dict[str, str] = {
    "action_check_delivery": "Checked the delivery status",
    "action_submit_refund": "Tried to create a refund",
    "action_check_refund_status": "Looked up the refund",
    "action_cancel_order": "Tried to cancel the order",
}

# Answers given inside forms (no action of their own) that an agent must know about.
OUTCOME_RESPONSE_PREFIXES: Tuple[str, ...] = (
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


def assistant_actions(events: Iterable[Dict[str, Any]]) -> List[Tuple[str, str]]:
    """(what the assistant did, what it told the customer), oldest first.

    Rasa logs an action's ActionExecuted event before the bot messages it produced, so each
    bot message is attributed to the action event right before it.
    """
    done: List[Tuple[str, str]] = []
    current: Optional[str] = None
    for event in events:
        kind = event.get("event")
        if kind == "action":
            current = event.get("name")
        elif kind == "user":
            current = None
        elif kind == "bot" and event.get("text"):
            response = str((event.get("metadata") or {}).get("utter_action") or "")
            if current in ACTION_LABELS:
                done.append((ACTION_LABELS[current], event["text"]))
                current = None  # one outcome per action is enough
            elif response.startswith(OUTCOME_RESPONSE_PREFIXES):
                done.append(("Told the customer", event["text"]))
    return done


def _customer_state(slots: Dict[str, Any], turns: Sequence[Dict[str, Any]]) -> Optional[str]:
    if turns:
        last = turns[-1]
        cues = ", ".join(str(r) for r in last.get("reasons") or []) or "none named"
        return (
            f"Customer state: {last.get('level', 'unknown')} "
            f"(frustration {float(last.get('smoothed', 0.0)):.2f} over {len(turns)} turns; "
            f"latest cues: {cues})"
        )
    level = slots.get("frustration_level")
    return f"Customer state: {level}" if level else None


def summarize(
    slots: Dict[str, Any],
    events: Sequence[Dict[str, Any]],
    reason: str,
    turns: Sequence[Dict[str, Any]] = (),
) -> List[str]:
    """The summary as a few lines, most important first."""
    lines = [f"Handed over: {REASON_LABELS.get(reason, reason)}"]
    topics = [INTENT_TOPICS[i] for i in latest_intents(events) if i in INTENT_TOPICS]
    if topics:
        lines.append("Wants: " + "; ".join(topics[:3]))
    facts = [
        f"{label} {slots[name]}"
        for name, label in (
            ("order_number", "Order"),
            ("email", "Email"),
            ("refund_reference", "Refund"),
        )
        if slots.get(name)
    ]
    if facts:
        lines.append(" · ".join(facts))
    if slots.get("refund_reason"):
        lines.append(f"Refund reason given: {_quote(str(slots['refund_reason']))}")
    for label, said in assistant_actions(events)[-MAX_ACTIONS:]:
        lines.append(f"{label}: {_quote(said)}")
    state = _customer_state(slots, turns)
    if state:
        lines.append(state)
    last_words = [e["text"] for e in events if e.get("event") == "user" and e.get("text")]
    if last_words:
        lines.append(f"Last message: {_quote(last_words[-1])}")
    return lines
