"""Plain words for the internal names people see: channels, frustration cues, flows.

Agents and support leads read "Web chat" and "said the answer did not help", not `socketio`
and `rejected_answer`. The desk, the analytics page and the report all use these.
"""

from __future__ import annotations

from typing import Final

CHANNEL_LABELS: Final[dict[str, str]] = {
    "socketio": "Web chat",
    "webchat": "Web chat",
    "rest": "REST API",
    "cmdline": "Rasa shell",
    "slack": "Slack",
    "telegram": "Telegram",
    "unknown": "Unknown channel",
}

PUSH_CAPABLE_CHANNELS: Final = frozenset({"socketio", "webchat", "slack", "telegram"})
"""Channels that can receive a message pushed later (an agent's reply). REST and the shell
only answer the request that carried the customer's message."""

CUE_LABELS: Final[dict[str, str]] = {
    "negative": "negative words",
    "capitals": "writing in capitals",
    "exclamations": "many ! or ?",
    "profanity": "swearing",
    "repeat_contact_phrase": "said they had to write again",
    "sarcasm": "sarcasm",
    "impatience": "impatience",
    "escalation": "threatened to escalate",
    "rejected_answer": "said the answer did not help",
    "consecutive_failures": "not understood in a row",
    "repeated_request": "asked the same thing again",
    "banmal_switch": "switched from polite speech to 반말",
}

FLOW_LABELS: Final[dict[str, str]] = {
    "delivery_form": "Delivery status",
    "refund_form": "Refund request",
    "refund_status_form": "Refund status",
    "cancel_form": "Cancellation",
    "delivery": "Delivery status",
    "refund": "Refunds",
    "cancellation": "Cancellation",
    "none": "No routine flow",
}


INTENT_LABELS: Final[dict[str, str]] = {
    "complain": "Complaint",
    "affirm": "Said yes",
    "deny": "Said no",
    "greet": "Greeting",
    "goodbye": "Goodbye",
    "thank": "Thanks",
    "inform": "Gave a detail (order number, email)",
    "request_human": "Asked for a person",
    "bot_challenge": "Asked if it is a bot",
    "nlu_fallback": "Not understood",
    "rate_conversation": "Rated the conversation",
    "back": "Went back",
    "blank": "Empty message",
    "restart": "Started over",
    "unsafe_input": "Message refused as unsafe",
}
"""Intents without a topic label (config/topics.yml), as a lead reads them in analytics."""


def _plain(name: str) -> str:
    return name.replace("_", " ").strip().capitalize() or "Unknown"


def channel_label(channel: str) -> str:
    """'Web chat' for socketio; an unknown channel's name in words."""
    return CHANNEL_LABELS.get(channel, _plain(channel))


def cue_label(cue: str) -> str:
    """'said the answer did not help' for rejected_answer."""
    return CUE_LABELS.get(cue, _plain(cue).lower())


def flow_label(flow: str) -> str:
    """'Refund request' for refund_form."""
    return FLOW_LABELS.get(flow, _plain(flow))


def plain_intent(intent: str) -> str:
    """'Complaint' for complain; an intent without a label in words."""
    return INTENT_LABELS.get(intent, _plain(intent))


def can_receive_pushed_replies(channel: str) -> bool:
    """False for REST and the shell: an agent's reply would never reach the customer."""
    return channel in PUSH_CAPABLE_CHANNELS
