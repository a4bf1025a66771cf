"""What the Slack webhook accepts: the shapes Rasa's SlackInput reads, or 400.

Rasa's handler reads Slack's JSON (and the `payload` of a button click) with `.get` and
indexing on whatever arrived, so a wrongly typed field, a body that is not an object or a
click it cannot read gave a 500 and a traceback. Slack only sends these shapes, so anything
else is refused with 400 before Rasa's handler runs.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

from rasa.core.channels.slack import SlackInput

from addons.channels.body import MAX_BODY_BYTES, BadBody, is_text, load_object

# Event fields Rasa reads as strings.
EVENT_TEXT_FIELDS = ("type", "text", "user", "channel", "ts", "thread_ts", "bot_id", "subtype")


def check_slack_body(content_type: str | None, raw: bytes) -> None:
    """Raises BadBody unless `raw` is a body Rasa's Slack handler can read."""
    if content_type == "application/json":
        _check_event(load_object(raw))
    elif content_type == "application/x-www-form-urlencoded":
        _check_click(raw)


def _check_event(body: dict[str, Any]) -> None:
    event = body.get("event", {})
    if not isinstance(event, dict):
        raise BadBody("'event' must be an object")
    for name in EVENT_TEXT_FIELDS:
        if event.get(name) is not None and not is_text(event[name]):
            raise BadBody(f"'event.{name}' must be a string")
    authorizations = body.get("authorizations", [])
    if not isinstance(authorizations, list) or not all(
        isinstance(a, dict) and is_text(a.get("user_id", "")) for a in authorizations
    ):
        raise BadBody("'authorizations' must be a list of objects")


def _check_click(raw: bytes) -> None:
    if len(raw) > MAX_BODY_BYTES:
        raise BadBody(f"the body is larger than {MAX_BODY_BYTES} bytes")
    try:
        payload = json.loads(parse_qs(raw.decode("utf-8"))["payload"][0])
        user_id = payload["user"]["id"]
        action = payload["actions"][0]
        answer = SlackInput._get_interactive_response(action)
        interactive = SlackInput._is_interactive_message(payload)
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, RecursionError):
        raise BadBody("'payload' is not a Slack button click") from None
    if not (is_text(user_id) and interactive and (answer is None or is_text(answer))):
        raise BadBody("'payload' is not a Slack button click")
    if answer is None and action.get("type") != "button":
        raise BadBody("'payload' is not a Slack button click")
