"""The website chat widget's channel: Rasa's socket.io connector, made to work for a handoff.

Kept from Rasa 3.6's SocketIOInput: the socket.io server inside Rasa, its events
(session_request / session_confirm, user_uttered / bot_uttered), optional JWT auth.
Changed here, and why:
- With the python-socketio 5.x that Rasa 3.6 installs, Rasa's session handler never joins the
  customer's socket to the session's room (it calls the coroutine `enter_room` without
  awaiting it), so with session_persistence no reply ever arrives. Joined properly here.
- The socket.io server shares its rooms through Redis (python-socketio's AsyncRedisManager),
  so a message for a conversation reaches the customer from any Rasa server: the agent's
  reply sent through the HTTP API (`output_channel=latest`) may be handled by a server other
  than the one holding the customer's socket. Rasa alone warns it cannot do this.
- A reconnecting page (reload, second tab) receives the conversation so far from the tracker
  store (`session_history`), including anything a person wrote while it was closed.
- Session ids are issued and signed by the server (addons/channels/session_ids.py): a browser that
  asks for a conversation by a bare, forged or someone else's id gets a fresh conversation, so
  nobody reads a conversation by knowing its id; a message under an id not issued here is
  ignored.
- Rasa switches CORS off on socket.io, so widgets whose first request is HTTP long-polling
  (rasa-webchat from npm) cannot connect from a shop's own origin. A browser's socket.io
  request, long-polling or WebSocket, is accepted only from the origins the shop lists in
  WIDGET_CORS_ORIGINS or the demo page beside this server (`cors_policy`).
- Each bot message is sent in Rasa's shape (for rasa-webchat and other Rasa widgets) and once
  more with who wrote it (assistant or person) and whether it hands
  the conversation over or back (addons/channels/speaker.py), so the widget can say so; replayed
  messages carry their time, so the widget's timestamps survive a reload.
- A message that did not go through (Redis or the action server down) gets a plain "send it
  again" instead of silence (addons/channels/delivery.py); card numbers are masked before storing.
- A message may carry the widget's own `message_id`: one the conversation already received
  (sent again after a reconnection) is handled once, on any server.
- Email follow-up (addons/channels/follow_up_events.py): a waiting customer may leave an email,
  with an explicit yes, for the person's reply (`follow_up_request`, stored sealed in Redis for
  the desk), and a signed, expiring link in that email opens the same conversation in any
  browser (`resume` in `session_request`); a changed or expired link is refused
  (`resume_refused`) and the browser keeps its own conversation.
- Event data of the wrong shape (not an object, a message that is not text or too long,
  metadata that is not an object) is ignored with a warning instead of raising in the handler.
- A widget on the shop's own pages may connect with a token the shop signed for its signed-in
  customer (addons/channels/widget_identity.py, WIDGET_JWT_KEY): the connection then carries that
  customer on every message (metadata `verified_customer`), and whatever a browser sends
  under that key itself is dropped. Without a valid token the connection is anonymous.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from rasa.core.channels.channel import UserMessage, decode_bearer_token
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from rasa.shared.core.events import BotUttered, UserUttered
from redis.exceptions import RedisError
from sanic import Blueprint

from addons.channels.body import MAX_MESSAGE_ID_CHARS, BadBody, checked_id, is_text
from addons.channels.client_address import client_address
from addons.channels.delivery import RETRY_TEXT, remember_failed, went_through
from addons.channels.follow_up_events import (
    CONFIRM_EVENT,
    REFUSED_LINK_EVENT,
    REQUEST_EVENT,
    resumed,
    save_follow_up,
)
from addons.channels.session_ids import SessionIds
from addons.channels.settings import ChannelSettings
from addons.channels.shared_state import HANDLING_TTL_S, SharedState
from addons.channels.speaker import LabelsPeople, speaker_of
from addons.channels.widget_identity import WidgetTokens
from contract import keys
from contract.metadata import CLIENT_ADDRESS_KEY, VERIFIED_CUSTOMER_KEY
from contract.privacy import mask_before_storage
from contract.resume_links import Refusal, ResumeLinks
from contract.socketio_redis import AsyncRedisManager
from settings.redis_target import connect_async

logger = logging.getLogger(__name__)

HISTORY_EVENT = "session_history"
# The bot messages this project's widget reads: `bot_uttered` plus who speaks (WebChatOutput).
RICH_EVENT = "bot_uttered_rich"
HISTORY_LIMIT = 100


def widget_message(message: dict[str, Any]) -> dict[str, Any]:
    """One bot message as the widget receives it; Rasa's socket.io shape plus `metadata`."""
    payload: dict[str, Any] = {
        "text": message.get("text") or "",
        "metadata": speaker_of(message).as_metadata(),
    }
    buttons = message.get("buttons") or message.get("quick_replies") or []
    if buttons:
        payload["quick_replies"] = [
            {"content_type": "text", "title": b["title"], "payload": b["payload"]} for b in buttons
        ]
    if message.get("image"):
        payload["attachment"] = {"type": "image", "payload": {"src": message["image"]}}
    # Seconds since the epoch, in the replayed history; a live message is shown as "now".
    if message.get("timestamp"):
        payload["timestamp"] = message["timestamp"]
    return payload


class WebChatOutput(LabelsPeople, SocketIOOutput):
    """Sends each bot message to the conversation's room (the session id) twice over.

    `bot_uttered` carries Rasa's own shapes, which other Rasa widgets need exactly (rasa-webchat
    1.0.1 drops a message with any extra key), with a person's name before their words;
    `bot_uttered_rich` carries the same message with `metadata` for this project's widget.
    """

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """Every socket of the conversation has joined its room; each listens to one event."""
        await super().send_response(recipient_id, message)
        await self.sio.emit(RICH_EVENT, widget_message(message), room=recipient_id)


def _delivery_id(conversation: str, message_id: Any) -> str | None:
    """ "" for a message without the widget's id, None for a malformed one."""
    if message_id is None:
        return ""
    try:
        return f"{conversation}:{checked_id(message_id, 'message_id', MAX_MESSAGE_ID_CHARS)}"
    except BadBody:
        return None


class WebChatChannel(SocketIOInput):
    """The `socketio` channel (path /socket.io on the Rasa server's port)."""

    def __init__(self, *args: Any, settings: ChannelSettings | None = None, **kwargs: Any) -> None:
        """Takes SocketIOInput's arguments (credentials.yml) plus the shared settings."""
        super().__init__(*args, **kwargs)
        self._settings = settings or ChannelSettings.from_environment()
        self._tokens = WidgetTokens.from_environment()
        self._session_ids = SessionIds.from_environment()
        self._links = ResumeLinks.from_environment()
        self._redis = connect_async(self._settings.redis_url, decode_responses=True, timeout_s=5)
        self._state = SharedState(self._settings.redis_url, self.name())

    def get_output_channel(self) -> WebChatOutput | None:
        """Works on every Rasa server: rooms are shared through Redis."""
        if self.sio is None:
            return None
        return WebChatOutput(self.sio, self.bot_message_evt)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's blueprint and handlers, then the changes described in the module docstring."""
        webhook = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None  # set by SocketIOInput.blueprint
        # No client has connected yet, so the manager can still be swapped before first use.
        sio.manager = AsyncRedisManager(self._settings.redis_url, channel=keys.SOCKETIO_CHANNEL)
        sio.manager.set_server(sio)
        sio.eio.cors_allowed_origins = cors_policy(
            self._settings.widget_cors_origins, self._settings.widget_page_port
        )

        async def connect(sid: str, environ: dict, auth: dict | None) -> bool:
            token = (auth or {}).get("token") if isinstance(auth, dict) else None
            if self.jwt_key and not (token and decode_bearer_token(
                token, self.jwt_key, self.jwt_algorithm
            )):  # fmt: skip
                return False  # credentials.yml makes a token mandatory: Rasa's own rule
            customer = self._tokens.customer(token) if self._tokens else None
            address = client_address(environ.get("sanic.request"))
            await sio.save_session(
                sid, {"customer": customer, "address": address}, namespace=self.namespace
            )
            return True

        async def session_request(sid: str, data: Any = None) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            link = resumed(self._links, data)
            if isinstance(link, Refusal):
                await sio.emit(
                    REFUSED_LINK_EVENT, {"reason": link.value}, room=sid, namespace=self.namespace
                )
            elif link is not None:
                requested = self._session_ids.signed(link)
            conversation = self._session_ids.conversation(requested)
            signed = requested if conversation else self._session_ids.issue()
            conversation = conversation or self._session_ids.conversation(signed)
            assert conversation is not None  # just issued
            if self.session_persistence:
                await sio.enter_room(sid, conversation, namespace=self.namespace)
            await sio.emit("session_confirm", signed, room=sid, namespace=self.namespace)
            history = await self._history(sid, conversation)
            await sio.emit(HISTORY_EVENT, history, room=sid, namespace=self.namespace)

        async def handle_message(sid: str, data: Any = None) -> None:
            text = data.get("message", "") if isinstance(data, dict) else None
            metadata = _metadata(data.get(self.metadata_key)) if isinstance(data, dict) else None
            if not is_text(text) or metadata is None:
                logger.warning("socketio: a message of the wrong shape was ignored")
                return
            sender_id = (
                self._session_ids.conversation(data.get("session_id"))
                if self.session_persistence
                else sid
            )
            if sender_id is None:
                logger.warning("socketio: message without a session id issued here ignored")
                return
            delivery_id = _delivery_id(sender_id, data.get("message_id"))
            if delivery_id is None:
                logger.warning("socketio: a message with a malformed message_id was ignored")
                return
            await self._stamp_customer(sid, metadata)
            output = WebChatOutput(sio, self.bot_message_evt)
            message = UserMessage(
                mask_before_storage(str(text)),
                output,
                sender_id,
                input_channel=self.name(),
                metadata=metadata,
            )
            try:
                if delivery_id and not await self._state.first_delivery(
                    delivery_id, HANDLING_TTL_S
                ):
                    logger.info("socketio: a message already received was ignored")
                    return
                if await went_through(on_new_message, message):
                    if delivery_id:
                        await self._state.keep_answer(delivery_id, {})
                    return
                if delivery_id:
                    await self._state.forget_delivery(delivery_id)
            except RedisError:
                pass  # Redis is down: nothing was stored, the customer sends it again
            await remember_failed(self._settings.redis_url, sender_id)
            await output.send_response(sender_id, {"text": RETRY_TEXT})

        async def follow_up_request(sid: str, data: Any = None) -> None:
            conversation = (
                self._session_ids.conversation(data.get("session_id"))
                if isinstance(data, dict)
                else None
            )
            if conversation is None or not isinstance(data, dict):
                logger.warning("socketio: a follow-up request without a valid session ignored")
                return
            try:
                answer = await save_follow_up(self._redis, conversation, data)
            except RedisError:
                answer = {"ok": False, "error": "unavailable"}
            await sio.emit(CONFIRM_EVENT, answer, room=sid, namespace=self.namespace)

        sio.on("connect", connect, namespace=self.namespace)
        sio.on(REQUEST_EVENT, follow_up_request, namespace=self.namespace)
        sio.on("session_request", session_request, namespace=self.namespace)
        sio.on(self.user_message_evt, handle_message, namespace=self.namespace)
        return webhook

    async def _stamp_customer(self, sid: str, metadata: dict[str, Any]) -> None:
        """Sets the verified customer (if any) and the address of this connection in the
        message's metadata; values a browser put there itself are dropped."""
        metadata.pop(VERIFIED_CUSTOMER_KEY, None)
        session = await self.sio.get_session(sid, namespace=self.namespace) if self.sio else {}
        customer = (session or {}).get("customer")
        if customer:
            metadata[VERIFIED_CUSTOMER_KEY] = customer
        metadata[CLIENT_ADDRESS_KEY] = (session or {}).get("address") or ""

    async def _history(self, sid: str, session_id: str) -> dict[str, Any]:
        """The conversation so far and whether the assistant is paused (a person has it)."""
        environ = self.sio.get_environ(sid, self.namespace) if self.sio else None
        request = (environ or {}).get("sanic.request")
        agent = getattr(request.app.ctx, "agent", None) if request else None
        tracker = await agent.tracker_store.retrieve(session_id) if agent else None
        if tracker is None:
            return {"messages": [], "paused": False}
        messages: list[dict[str, Any]] = []
        for event in tracker.events:
            if isinstance(event, UserUttered) and event.text:
                shown = (event.metadata or {}).get("display") or event.text
                messages.append({"customer": True, "text": shown, "timestamp": event.timestamp})
            elif isinstance(event, BotUttered):
                messages.append(widget_message(event.message()))
        return {"messages": messages[-HISTORY_LIMIT:], "paused": tracker.is_paused()}


def cors_policy(
    origins: frozenset[str], page_port: int
) -> Callable[[str | None, dict[str, Any]], bool]:
    """engineio's origin hook: which browser Origin may use socket.io, polling and WebSocket.

    engineio asks it for every request that carries an Origin: CORS headers on long-polling,
    and whether a WebSocket handshake is accepted at all (browsers apply no CORS to WebSocket,
    so without this any website could open a customer's conversation from their browser).
    Allowed: the shop's origins (WIDGET_CORS_ORIGINS) and the demo page served beside this
    server (web/, port WEB_PORT on the host name the request came to, which is how that page
    builds its socket URL). Programs that send no Origin are not browsers; engineio lets them
    through, and the signed session ids protect the conversations from them.
    """

    def allowed(origin: str | None, environ: dict[str, Any]) -> bool:
        if origin in origins:
            return True
        try:
            page = urlsplit(origin or "")
            served = urlsplit("//" + str(environ.get("HTTP_HOST", "")))
            return (
                page.scheme in ("http", "https")
                and page.port == page_port
                and bool(page.hostname)
                and page.hostname == served.hostname
            )
        except ValueError:  # a port that is not a number
            return False

    return allowed


def _metadata(value: Any) -> dict[str, Any] | None:
    """The widget's metadata: an object, or a JSON string of one (None: neither)."""
    if not value:
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, dict) else None
