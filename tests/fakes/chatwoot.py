"""A fake Chatwoot: the application API calls tickets/chatwoot.py makes, and the webhooks
Chatwoot sends, written from Chatwoot's documentation (the pages are cited in
tests/tickets/test_chatwoot.py).

Like Chatwoot:
- every call needs the access token header (401 otherwise); the documented spelling
  `api_access_token` does not arrive (werkzeug drops headers with underscores, as nginx does
  in front of many Chatwoot installations), `api-access-token` does, and Rails reads both;
- contacts search matches parts of names, emails and identifiers (`q`), answering
  {"meta", "payload": [contact, ...]}, each contact with its `contact_inboxes`;
- creating a contact with an identifier or email already taken answers 422; a new contact with
  `inbox_id` gets a contact inbox, whose `source_id` a conversation needs;
- a conversation's `id` is the per-account number the dashboard shows (display id);
- labels posted replace the conversation's whole list;
- every message created, ours included, is sent to the webhook as `message_created` with
  `message_type` as a word ("incoming", "outgoing"), where the API's answer carries a number.

Test helpers act as an agent would in the dashboard: `agent_reply`, `private_note`, `resolve`;
`send` posts any payload (a retry, an out-of-order event) and returns the status.
"""

from __future__ import annotations

import itertools
import threading
import time
import uuid
from datetime import datetime, timezone
from typing import Any

import requests
from flask import Flask, jsonify, request

from tests.fakes.recorder import Call, RecordingApi

ACCOUNT_ID = 7
INBOX_ID = 3
MESSAGE_TYPES = {"incoming": 0, "outgoing": 1}


def iso(ts: float) -> str:
    """A time as the webhooks write it."""
    return datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


class FakeChatwoot(RecordingApi):
    """The application API under /api/v1/accounts/<ACCOUNT_ID>; `webhook_url` receives events."""

    def __init__(self, token: str) -> None:
        """Accepts only `token`; `webhook_url` is set by the test (nothing is sent until then)."""
        app = Flask("fake_chatwoot")
        self.webhook_url = ""
        self.down = False
        self.contacts: list[dict[str, Any]] = []
        self.conversations: dict[int, dict[str, Any]] = {}
        self.webhook_answers: list[tuple[str, int, dict[str, Any]]] = []
        self._ids = itertools.count(100)
        self._display_ids = itertools.count(1)
        self._lock = threading.RLock()
        base = f"/api/v1/accounts/{ACCOUNT_ID}"

        @app.before_request
        def check() -> Any:
            if self.down:
                return jsonify(error="maintenance"), 503
            # werkzeug drops `api_access_token` (underscores), as nginx does by default.
            if request.headers.get("api-access-token") != token:
                return jsonify(error="You need to sign in or sign up before continuing."), 401
            self.record(
                Call(
                    f"{request.method} {request.path}",
                    request.get_json(silent=True) or request.args.to_dict(),
                    dict(request.headers),
                )
            )
            return None

        @app.get(f"{base}/contacts/search")
        def search() -> Any:
            q = request.args.get("q", "").casefold()
            with self._lock:
                found = [
                    c
                    for c in self.contacts
                    if q
                    and any(
                        q in str(c.get(k) or "").casefold() for k in ("name", "email", "identifier")
                    )
                ]
                return jsonify(meta={"count": len(found), "current_page": 1}, payload=found)

        @app.post(f"{base}/contacts")
        def create_contact() -> Any:
            body = request.get_json(force=True)
            with self._lock:
                for key in ("identifier", "email"):
                    if body.get(key) and any(c.get(key) == body[key] for c in self.contacts):
                        return jsonify(message=f"{key.capitalize()} has already been taken"), 422
                contact = {
                    "id": next(self._ids),
                    "name": body.get("name"),
                    "email": body.get("email"),
                    "identifier": body.get("identifier"),
                    "contact_inboxes": [],
                }
                self.contacts.append(contact)
                link = None
                if body.get("inbox_id") is not None:
                    link = self._link(contact, int(body["inbox_id"]))
                return jsonify(payload={"contact": contact, "contact_inbox": link})

        @app.post(f"{base}/contacts/<int:contact_id>/contact_inboxes")
        def contact_inbox(contact_id: int) -> Any:
            body = request.get_json(force=True)
            with self._lock:
                contact = next((c for c in self.contacts if c["id"] == contact_id), None)
                if contact is None:
                    return jsonify(error="not found"), 404
                return jsonify(self._link(contact, int(body["inbox_id"])))

        @app.post(f"{base}/conversations")
        def create_conversation() -> Any:
            body = request.get_json(force=True)
            with self._lock:
                contact = next(
                    (c for c in self.contacts if c["id"] == body.get("contact_id")), None
                )
                links = contact["contact_inboxes"] if contact else []
                if not any(
                    link["source_id"] == body.get("source_id")
                    and link["inbox"]["id"] == body.get("inbox_id")
                    for link in links
                ):
                    return jsonify(error="Contact inbox not found"), 404
                display_id = next(self._display_ids)
                self.conversations[display_id] = {
                    "id": display_id,
                    "inbox_id": body["inbox_id"],
                    "contact_id": body["contact_id"],
                    "status": body.get("status") or "open",
                    "custom_attributes": body.get("custom_attributes") or {},
                    "labels": [],
                    "messages": [],
                }
                return jsonify(id=display_id, account_id=ACCOUNT_ID, inbox_id=body["inbox_id"])

        @app.post(f"{base}/conversations/<int:display_id>/messages")
        def create_message(display_id: int) -> Any:
            body = request.get_json(force=True)
            kind = body.get("message_type", "outgoing")
            if display_id not in self.conversations:
                return jsonify(error="not found"), 404
            sender = {"id": 1, "name": "Integration", "type": "user"}
            if kind == "incoming":
                sender = {"id": self.conversations[display_id]["contact_id"], "type": "contact"}
            message = self._message(
                display_id, body.get("content") or "", kind, bool(body.get("private")), sender
            )
            answer = {**message, "message_type": MESSAGE_TYPES[kind]}
            threading.Thread(target=self._announce, args=(message,), daemon=True).start()
            return jsonify(answer)

        @app.post(f"{base}/conversations/<int:display_id>/labels")
        def labels(display_id: int) -> Any:
            body = request.get_json(force=True)
            with self._lock:
                self.conversations[display_id]["labels"] = list(body.get("labels") or [])
                return jsonify(payload=self.conversations[display_id]["labels"])

        super().__init__(app)

    def _link(self, contact: dict[str, Any], inbox_id: int) -> dict[str, Any]:
        link = {"source_id": str(uuid.uuid4()), "inbox": {"id": inbox_id, "name": "Assistant"}}
        contact["contact_inboxes"].append(link)
        return link

    def _message(
        self, display_id: int, content: str, kind: str, private: bool, sender: dict[str, Any]
    ) -> dict[str, Any]:
        with self._lock:
            message = {
                "id": next(self._ids),
                "content": content,
                "message_type": kind,
                "private": private,
                "created_at": iso(time.time()),
                "sender": sender,
                "conversation_id": display_id,
            }
            self.conversations[display_id]["messages"].append(message)
            return message

    def _conversation_payload(self, display_id: int) -> dict[str, Any]:
        conversation = self.conversations[display_id]
        return {
            "id": display_id,
            "inbox_id": conversation["inbox_id"],
            "status": conversation["status"],
            "channel": "Channel::Api",
            "contact_inbox": {"contact_id": conversation["contact_id"], "inbox_id": INBOX_ID},
            "meta": {"assignee": {"id": 5, "name": "Dana", "type": "user"}},
            "timestamp": int(time.time()),
        }

    def message_payload(self, message: dict[str, Any]) -> dict[str, Any]:
        """The message_created webhook of a stored message."""
        return {
            "event": "message_created",
            **{k: v for k, v in message.items() if k != "conversation_id"},
            "content_type": "text",
            "content_attributes": {},
            "source_id": None,
            "inbox": {"id": INBOX_ID, "name": "Assistant"},
            "conversation": self._conversation_payload(message["conversation_id"]),
            "account": {"id": ACCOUNT_ID, "name": "Demo shop"},
        }

    def _announce(self, message: dict[str, Any]) -> None:
        if self.webhook_url:
            self.send(self.message_payload(message))

    def send(self, payload: dict[str, Any], url: str | None = None) -> int:
        """Posts one webhook (to `url`, default `webhook_url`); returns the HTTP status."""
        response = requests.post(url or self.webhook_url, json=payload, timeout=30)
        body = (
            response.json()
            if response.headers.get("Content-Type", "").startswith("application/json")
            else {}
        )
        with self._lock:
            self.webhook_answers.append((str(payload.get("event")), response.status_code, body))
        return response.status_code

    def agent_reply(self, display_id: int, text: str, agent: str = "Dana") -> dict[str, Any]:
        """An agent writes to the customer in the dashboard; returns the webhook payload sent."""
        message = self._message(
            display_id, text, "outgoing", False, {"id": 5, "name": agent, "type": "user"}
        )
        payload = self.message_payload(message)
        self.send(payload)
        return payload

    def private_note(self, display_id: int, text: str) -> dict[str, Any]:
        """An agent writes a note for colleagues; returns the webhook payload sent."""
        message = self._message(
            display_id, text, "outgoing", True, {"id": 5, "name": "Dana", "type": "user"}
        )
        payload = self.message_payload(message)
        self.send(payload)
        return payload

    def resolve(self, display_id: int) -> dict[str, Any]:
        """An agent resolves the conversation; returns the webhook payload sent."""
        with self._lock:
            self.conversations[display_id]["status"] = "resolved"
        payload = {"event": "conversation_status_changed", **self._conversation_payload(display_id)}
        self.send(payload)
        return payload

    def only_conversation(self) -> dict[str, Any]:
        """The one conversation opened so far (fails when there is not exactly one)."""
        with self._lock:
            assert len(self.conversations) == 1, self.conversations
            return next(iter(self.conversations.values()))

    def wait_for(self, predicate: Any, timeout: float = 10.0) -> None:
        """Waits until `predicate()` is true (webhooks of API calls are sent in the background)."""
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; webhook answers: {self.webhook_answers}")
            time.sleep(0.05)
