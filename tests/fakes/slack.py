"""A fake Slack: the Web API the connector posts replies to, and signed Events API requests.

The Web API half behaves like Slack for an app created today: a bot token is required, and
chat.postMessage refuses the legacy `as_user` argument, as Slack does for granular bot tokens.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from typing import Any

from flask import Flask, jsonify, request

from tests.fakes.recorder import Call, RecordingApi


class FakeSlack(RecordingApi):
    """POST /api/<method>; the connector's SLACK_API_URL is `api_url`. Refused calls are not
    recorded: the customer would not see them."""

    def __init__(self, bot_token: str) -> None:
        """Accepts only `bot_token`."""
        app = Flask("fake_slack")
        self._ts = itertools.count(1)

        @app.post("/api/<method>")
        def api(method: str) -> Any:
            if request.headers.get("Authorization") != f"Bearer {bot_token}":
                return jsonify(ok=False, error="invalid_auth")
            params: dict[str, Any] = request.get_json(silent=True) or request.form.to_dict()
            if method == "chat.postMessage" and "as_user" in params:
                return jsonify(ok=False, error="invalid_arguments", deprecated_argument="as_user")
            self.record(Call(method, params, dict(request.headers)))
            if method != "chat.postMessage":
                return jsonify(ok=True)
            return jsonify(
                ok=True, channel=params.get("channel"), ts=f"1700000000.{next(self._ts):06d}"
            )

        super().__init__(app)

    @property
    def api_url(self) -> str:
        """What SLACK_API_URL is set to."""
        return f"{self.url}/api/"

    def posts_to(self, channel: str) -> list:
        """Messages posted to one chat, oldest first."""
        return self.matching(
            lambda c: c.method == "chat.postMessage" and c.params.get("channel") == channel
        )


def message_event(user: str, channel: str, text: str, event_id: str) -> dict[str, Any]:
    """An Events API delivery of a direct message from `user` to the app."""
    ts = f"{time.time():.6f}"
    return {
        "token": "unused-verification-token",
        "team_id": "T0SHOP",
        "api_app_id": "A0ASSIST",
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [{"user_id": "U0BOT", "is_bot": True}],
        "event": {
            "type": "message",
            "channel_type": "im",
            "channel": channel,
            "user": user,
            "text": text,
            "ts": ts,
            "event_ts": ts,
        },
    }


def signed_headers(secret: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    """The headers Slack sends: a v0 HMAC-SHA256 signature over timestamp and body."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{stamp}:".encode() + body, hashlib.sha256).hexdigest()
    return {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={digest}",
    }


def encode(payload: dict[str, Any]) -> bytes:
    """The exact bytes that are signed and sent."""
    return json.dumps(payload).encode()
