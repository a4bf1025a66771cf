"""Chatwoot's webhook (HANDOFF_TARGET=chatwoot): agents' replies reach the customer, resolving
hands the conversation back to the assistant.

Chatwoot posts every subscribed event to `POST /chatwoot/webhook/<CHATWOOT_WEBHOOK_SECRET>`
(the secret may come in an `X-Chatwoot-Webhook-Secret` header to `/chatwoot/webhook` instead;
anything else gets 403). Chatwoot does not sign its webhooks, so the secret in the URL is the
only proof of the caller.

- `message_created`, outgoing and not private, on a conversation opened for a ticket: the
  agent's words go to the customer's channel through the desk (`Desk.reply`, Rasa's API with
  output_channel=latest), the first one also claims the ticket for Chatwoot and tells the
  customer who joined, as a claim in the desk does. Incoming messages (the customer's own,
  which the action server forwarded), private notes (ours and agents') and messages of
  conversations we did not open are answered 200 and ignored: nothing is echoed back.
- `conversation_status_changed` to `resolved`: the desk's hand-back (resume, the calmest
  level, "you're back with the assistant"), the ticket closed as handed back.

Retries and out-of-order events: each message id and each ticket's resolution is handled once
(`contract.keys.chatwoot_seen`, claimed before acting and released when Rasa could not be
reached, answered 503 so a retry can redo it); a reply that arrives after the resolution it
preceded is still delivered when it was written before the ticket closed (`LATE_REPLY_GRACE_S`).
"""

from __future__ import annotations

import hmac
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import redis
from flask import Blueprint, Response, current_app, jsonify, request

from agent_desk.accounts import Agent
from agent_desk.desk import MAX_REPLY_CHARS, Desk, DeskError, bot_event
from agent_desk.rasa_api import RasaUnavailable
from contract import keys
from contract.metadata import AGENT_METADATA_KEY
from tickets.chatwoot import HOLDER
from tickets.model import CLOSED, WAITING, Ticket

logger = logging.getLogger(__name__)

bp = Blueprint("chatwoot", __name__)

SECRET_HEADER = "X-Chatwoot-Webhook-Secret"
SEEN_TTL_S = 7 * 86400
# A reply written up to this long before its conversation was resolved, yet delivered after.
LATE_REPLY_GRACE_S = 120.0
MAX_BODY_BYTES = 1024 * 1024
OUTGOING = ("outgoing", 1)  # the webhook says "outgoing"; the API's own answers say 1


@dataclass(frozen=True)
class HookResult:
    """What the webhook answers: a status, and one line saying what was done."""

    status: int
    done: str


def _object(value: Any) -> dict[str, Any]:
    """A JSON object, or an empty one for anything else (payloads are checked, never trusted)."""
    return value if isinstance(value, dict) else {}


def parse_time(value: Any) -> float | None:
    """Chatwoot's times: epoch seconds, ISO 8601 ("...T18:02:48.000Z") or "... 13:05:57 UTC"."""
    if isinstance(value, int | float):
        return float(value)
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace(" UTC", "+00:00").replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).timestamp()


def conversation_of(payload: dict[str, Any]) -> str:
    """The conversation id of a message_created payload, as the dashboard shows it."""
    conversation = _object(payload.get("conversation"))
    return str(conversation.get("display_id") or conversation.get("id") or "")


def split_reply(text: str, limit: int = MAX_REPLY_CHARS) -> list[str]:
    """Chatwoot allows longer messages than the desk sends in one: cut at line or word ends."""
    parts: list[str] = []
    while len(text) > limit:
        cut = max(text.rfind("\n", 0, limit), text.rfind(" ", 0, limit))
        cut = cut if cut > limit // 2 else limit
        parts.append(text[:cut].strip())
        text = text[cut:].strip()
    return [*parts, text] if text else parts


class ChatwootRelay:
    """Turns Chatwoot's events into the desk's actions, each once."""

    def __init__(self, desk: Desk, client: redis.Redis) -> None:
        """`client`: the Redis holding tickets and the handled-event marks."""
        self.desk = desk
        self._redis = client

    def _first(self, kind: str, name: str) -> bool:
        return bool(self._redis.set(keys.chatwoot_seen(kind, name), "1", nx=True, ex=SEEN_TTL_S))

    def _forget(self, kind: str, name: str) -> None:
        self._redis.delete(keys.chatwoot_seen(kind, name))

    def handle(self, payload: dict[str, Any]) -> HookResult:
        """One webhook call."""
        event = payload.get("event")
        if event == "message_created":
            return self._message(payload)
        if event == "conversation_status_changed":
            return self._status(payload)
        return HookResult(200, f"ignored: event {str(event)[:40]!r}")

    def _message(self, payload: dict[str, Any]) -> HookResult:
        if payload.get("message_type") not in OUTGOING:
            return HookResult(200, "ignored: not an agent's reply")
        if payload.get("private") in (True, 1, "true"):
            return HookResult(200, "ignored: private note")
        sender = _object(payload.get("sender"))
        if sender.get("type") == "contact":
            return HookResult(200, "ignored: written by the customer")
        content = str(payload.get("content") or "").strip()
        message_id = str(payload.get("id") or "")
        ticket = self.desk.store.for_chatwoot(conversation_of(payload))
        if ticket is None:
            return HookResult(200, "ignored: not a conversation the assistant handed over")
        if not content or not message_id:
            return HookResult(200, "ignored: no text (attachments are not relayed)")
        if not self._first("message", message_id):
            return HookResult(200, "already delivered")
        agent = Agent(HOLDER, str(sender.get("name") or "").strip() or "An agent")
        try:
            done = self._deliver(ticket, agent, content, parse_time(payload.get("created_at")))
        except (RasaUnavailable, DeskError) as error:
            self._forget("message", message_id)
            logger.warning("Chatwoot reply %s not delivered: %s", message_id, error)
            return HookResult(503, "not delivered; retry")
        return HookResult(200, done)

    def _deliver(self, ticket: Ticket, agent: Agent, content: str, written: float | None) -> str:
        if ticket.status == CLOSED:
            closed_at = ticket.closed_at or 0.0
            if written is None or written > closed_at + LATE_REPLY_GRACE_S:
                return "ignored: the conversation was handed back before this reply"
            # Resolved first, delivered later: the words still reach the customer.
            events = [
                bot_event(part, **{AGENT_METADATA_KEY: agent.display_name})
                for part in split_reply(content)
            ]
            self.desk.rasa.append(ticket.conversation_id, events)
            return "delivered (after the hand-back it preceded)"
        self.desk.take_for_helpdesk(
            ticket, agent, announce=self._first("claimed", ticket.reference)
        )
        for part in split_reply(content):
            self.desk.reply(ticket.reference, agent, part)
        return "delivered"

    def _status(self, payload: dict[str, Any]) -> HookResult:
        if payload.get("status") != "resolved":
            return HookResult(200, f"ignored: status {str(payload.get('status'))[:20]!r}")
        conversation = str(payload.get("display_id") or payload.get("id") or "")
        ticket = self.desk.store.for_chatwoot(conversation)
        if ticket is None:
            return HookResult(200, "ignored: not a conversation the assistant handed over")
        if ticket.status == CLOSED or not self._first("resolved", ticket.reference):
            return HookResult(200, "already handed back")
        assignee = _object(_object(payload.get("meta")).get("assignee"))
        name = str(assignee.get("name") or "").strip() or ticket.holder_name or "An agent"
        agent = Agent(HOLDER, name)
        try:
            if ticket.status == WAITING:
                self.desk.take_for_helpdesk(ticket, agent, announce=False)
            self.desk.hand_back(ticket.reference, agent, self.desk.calmest_level())
        except (RasaUnavailable, DeskError) as error:
            self._forget("resolved", ticket.reference)
            logger.warning("Chatwoot resolution of %s not handed back: %s", ticket.reference, error)
            return HookResult(503, "not handed back; retry")
        return HookResult(200, "handed back to the assistant")


def _authorised(secret: str) -> bool:
    expected = str(current_app.extensions.get("chatwoot_secret") or "")
    sent = secret or request.headers.get(SECRET_HEADER, "")
    # Bytes: compare_digest refuses str with non-ASCII characters.
    return bool(expected) and hmac.compare_digest(
        sent.encode("utf-8", "surrogatepass"), expected.encode()
    )


@bp.post("/chatwoot/webhook")
@bp.post("/chatwoot/webhook/<secret>")
def webhook(secret: str = "") -> tuple[Response, int]:
    """Chatwoot's events; 403 without the secret, 404 when Chatwoot is not the target."""
    relay: ChatwootRelay | None = current_app.extensions.get("chatwoot_relay")
    if relay is None:
        return jsonify(error="Chatwoot is not the handoff target (HANDOFF_TARGET)"), 404
    if not _authorised(secret):
        logger.warning("Chatwoot webhook refused: wrong or missing secret")
        return jsonify(error="forbidden"), 403
    request.max_content_length = MAX_BODY_BYTES
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return jsonify(error="the body must be a JSON object"), 400
    started = time.monotonic()
    result = relay.handle(payload)
    logger.info(
        "Chatwoot %s: %s (%.0f ms)",
        str(payload.get("event"))[:40],
        result.done,
        (time.monotonic() - started) * 1000,
    )
    return jsonify(done=result.done), result.status
