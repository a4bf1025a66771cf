"""The REST channel (`POST /webhooks/rest/webhook`), honest about failures and closed to junk.

Rasa's own `rest` channel answers 200 and `[]` when Redis or the action server is down, so a
message can vanish without anyone knowing. This one answers every message one of two ways:
the assistant's replies (200), or 503 with `Retry-After` and one plain message saying it did
not go through (addons/channels/delivery.py). While a person has the conversation the message
is stored for them and the answer is 202 with `[]` and `X-Conversation-State: with-person`,
so a client can tell "a person will answer" from a lost message. A malformed body gets 400
and one line (addons/channels/body.py). With `token` set in credentials.yml
(REST_CHANNEL_TOKEN), every call must send `Authorization: Bearer <token>`: for
server-to-server use; leave it unset for rasa shell.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Any, Final

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from addons.channels.body import BadBody, parse_rest_message
from addons.channels.client_address import client_address, trusted_proxies
from addons.channels.delivery import RETRY_AFTER_S, RETRY_TEXT, handled, remember_failed
from addons.channels.settings import ChannelSettings
from contract.metadata import CLIENT_ADDRESS_KEY
from contract.privacy import mask_before_storage

STATE_HEADER: Final = "X-Conversation-State"
WITH_PERSON: Final = "with-person"


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
            collector = CollectingOutputChannel()
            user_message = UserMessage(
                mask_before_storage(message.text),
                collector,
                message.sender,
                input_channel=self.name(),
                metadata={**message.metadata, CLIENT_ADDRESS_KEY: client_address(request)},
            )
            outcome = await handled(on_new_message, user_message)
            if outcome.ok and outcome.paused and not collector.messages:
                # A person has the conversation: stored, their answer comes later (202, not a
                # silent 200 [] that a client cannot tell from a lost message).
                return response.json([], status=202, headers={STATE_HEADER: WITH_PERSON})
            if outcome.ok:
                return response.json(collector.messages)
            await remember_failed(self._settings.redis_url, message.sender)
            return response.json(
                [{"recipient_id": message.sender, "text": RETRY_TEXT}],
                status=503,
                headers={"Retry-After": str(RETRY_AFTER_S)},
            )

        return webhook
