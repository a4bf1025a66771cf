"""The REST channel (`POST /webhooks/rest/webhook`), honest about failures and closed to junk.

Rasa's own `rest` channel answers 200 and `[]` when Redis or the action server is down, so a
message can vanish without anyone knowing. This one answers every message one of two ways:
the assistant's replies (200), or 503 with `Retry-After` and one plain message saying it did
not go through (addons/channels/delivery.py). While a person has the conversation the message
is stored for them and the answer is 202 with `[]` and `X-Conversation-State: with-person`,
so a client can tell "a person will answer" from a lost message. A malformed body gets 400
and one line (addons/channels/body.py).

A client may give each message its own `message_id`. Resending it (after a timeout, or after
the 503) is then safe: a message already answered is not handled again, and the resend gets
the first answer once more with `X-Message-State: repeat`; one still being handled gets 409
with `Retry-After`. A message that failed stored nothing (addons/channels/delivery.py), so its
resend is handled as new. With `token` set in credentials.yml
(REST_CHANNEL_TOKEN), every call must send `Authorization: Bearer <token>`: for
server-to-server use; leave it unset for rasa shell.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any, Final

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from redis.exceptions import RedisError
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from addons.channels.body import BadBody, IncomingMessage, parse_rest_message
from addons.channels.client_address import client_address, trusted_proxies
from addons.channels.delivery import RETRY_AFTER_S, RETRY_TEXT, handled, remember_failed
from addons.channels.settings import ChannelSettings
from addons.channels.shared_state import HANDLING_TTL_S, SharedState
from contract.metadata import CLIENT_ADDRESS_KEY
from contract.privacy import mask_before_storage

STATE_HEADER: Final = "X-Conversation-State"
WITH_PERSON: Final = "with-person"
MESSAGE_STATE_HEADER: Final = "X-Message-State"
REPEAT: Final = "repeat"


class RestChannel(RestInput):
    """Rasa's REST channel with the changes in the module docstring (same name and URL)."""

    @classmethod
    def name(cls) -> str:
        """Same URL as Rasa's: /webhooks/rest/webhook."""
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> RestChannel:
        """`token` (optional) from credentials.yml."""
        return cls(token=(credentials or {}).get("token") or None)

    def __init__(self, token: str | None = None, settings: ChannelSettings | None = None) -> None:
        """Settings are read when Rasa builds the channel, never at import."""
        self._token = token
        self._settings = settings or ChannelSettings.from_environment()
        self._state = SharedState(self._settings.redis_url, self.name())
        trusted_proxies()  # a wrong TRUSTED_PROXIES stops start-up, naming it

    def _authorised(self, request: Request) -> bool:
        if not self._token:
            return True
        sent = request.headers.get("authorization", "")
        return hmac.compare_digest(sent.encode(), f"Bearer {self._token}".encode())

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """GET / (health) and POST /webhook."""
        webhook = Blueprint("rest_channel", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self._authorised(request):
                return response.json({"error": "unauthorised"}, status=401)
            try:
                message = parse_rest_message(request.body)
            except BadBody as problem:
                return response.json({"error": str(problem)}, status=400)
            address = {CLIENT_ADDRESS_KEY: client_address(request)}
            message = replace(message, metadata={**message.metadata, **address})
            if message.message_id is None:
                return await self._answer(message, on_new_message)
            return await self._answer_once(message, on_new_message)

        return webhook

    async def _answer_once(
        self, message: IncomingMessage, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> HTTPResponse:
        """`_answer` for a message with the client's id: a resend gets the first answer."""
        delivery_id = f"{message.sender}:{message.message_id}"
        try:
            first = await self._state.first_delivery(delivery_id, HANDLING_TTL_S)
            earlier = None if first else await self._state.earlier_answer(delivery_id)
        except RedisError:
            return _retry(message.sender)
        if earlier is not None:
            headers = {**earlier["headers"], MESSAGE_STATE_HEADER: REPEAT}
            return response.json(earlier["replies"], status=earlier["status"], headers=headers)
        if not first:
            return response.json(
                {"error": "this message is being handled; ask again in a moment"},
                status=409,
                headers={"Retry-After": str(RETRY_AFTER_S)},
            )
        answer = await self._answer(message, on_new_message)
        if answer.status >= 500:
            await self._state.forget_delivery(delivery_id)
            return answer
        state = answer.headers.get(STATE_HEADER)
        kept = {
            "status": answer.status,
            "replies": json.loads(answer.body or b"[]"),
            "headers": {STATE_HEADER: state} if state else {},
        }
        await self._state.keep_answer(delivery_id, kept)
        return answer

    async def _answer(
        self, message: IncomingMessage, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> HTTPResponse:
        """Handles the message: its replies, 202 while a person has it, or 503."""
        collector = CollectingOutputChannel()
        user_message = UserMessage(
            mask_before_storage(message.text),
            collector,
            message.sender,
            input_channel=self.name(),
            metadata=message.metadata,
        )
        outcome = await handled(on_new_message, user_message)
        if outcome.ok and outcome.paused and not collector.messages:
            # A person has the conversation: stored, their answer comes later (202, not a
            # silent 200 [] that a client cannot tell from a lost message).
            return response.json([], status=202, headers={STATE_HEADER: WITH_PERSON})
        if outcome.ok:
            return response.json(collector.messages)
        await remember_failed(self._settings.redis_url, message.sender)
        return _retry(message.sender)


def _retry(sender: str) -> HTTPResponse:
    """503: the message did not go through, and nothing of it was stored."""
    return response.json(
        [{"recipient_id": sender, "text": RETRY_TEXT}],
        status=503,
        headers={"Retry-After": str(RETRY_AFTER_S)},
    )
