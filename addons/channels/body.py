"""What a customer channel accepts as a message body: bounded, typed, or a short reason why not.

Rasa's REST channel answered 500 (and logged a 100 KB traceback) for an empty body, `null`,
`[]` or a deeply nested one. Here each gets 400 with one line saying what is wrong.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

MAX_BODY_BYTES = 128 * 1024
MAX_MESSAGE_CHARS = 30_000
MAX_SENDER_CHARS = 128
MAX_MESSAGE_ID_CHARS = 128
MAX_DEPTH = 16


class BadBody(ValueError):
    """The body cannot be a message; the text is the short error the caller gets."""


@dataclass(frozen=True)
class IncomingMessage:
    """A checked REST message."""

    sender: str
    text: str
    metadata: dict[str, Any]
    # The client's own id for the message: a resend with the same id is handled once.
    message_id: str | None = None


def depth(value: Any) -> int:
    """How deeply lists and objects nest in `value` (iterative: no recursion to exhaust)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


def load_object(raw: bytes) -> dict[str, Any]:
    """The body as a JSON object of bounded size and nesting."""
    if len(raw) > MAX_BODY_BYTES:
        raise BadBody(f"the body is larger than {MAX_BODY_BYTES} bytes")
    try:
        value = json.loads(raw) if raw.strip() else None
    except (ValueError, RecursionError):
        raise BadBody("the body is not JSON") from None
    if not isinstance(value, dict):
        raise BadBody("the body must be a JSON object")
    if depth(value) > MAX_DEPTH:
        raise BadBody(f"the body nests deeper than {MAX_DEPTH} levels")
    return value


def checked_id(value: Any, name: str, longest: int) -> str:
    """An id (sender, message id): a short printable string."""
    if not isinstance(value, str) or not value.strip():
        raise BadBody(f"'{name}' must be a non-empty string")
    if len(value) > longest or not value.isprintable() or not is_text(value):
        raise BadBody(f"'{name}' must be printable and at most {longest} characters")
    return value


def checked_sender(value: Any) -> str:
    """A sender id: a short printable string."""
    return checked_id(value, "sender", MAX_SENDER_CHARS)


def is_text(value: Any) -> bool:
    """A string a message may carry: bounded, and real Unicode (JSON can escape lone
    surrogates, which no UTF-8 encoder downstream, from spaCy to Redis, accepts)."""
    if not isinstance(value, str) or len(value) > MAX_MESSAGE_CHARS:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def checked_text(value: Any, name: str) -> str:
    """`value` when `is_text`, else BadBody naming the field."""
    if not is_text(value):
        raise BadBody(
            f"'{name}' must be a string of valid Unicode, at most {MAX_MESSAGE_CHARS} characters"
        )
    return str(value)


def parse_rest_message(raw: bytes) -> IncomingMessage:
    """{"sender": str, "message": str, "metadata": object (optional),
    "message_id": str (optional)}."""
    body = load_object(raw)
    text = checked_text(body.get("message"), "message")
    metadata = body.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise BadBody("'metadata' must be an object")
    message_id = body.get("message_id")
    if message_id is not None:
        message_id = checked_id(message_id, "message_id", MAX_MESSAGE_ID_CHARS)
    return IncomingMessage(checked_sender(body.get("sender")), text, metadata, message_id)
