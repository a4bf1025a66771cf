"""Slack: Rasa's connector, with agent replies routed to the customer's chat and no duplicates.

What Rasa 3.6's SlackInput already does and is kept: the signing-secret check on every request
(HMAC of the body, requests older than five minutes refused), threads, buttons, interactive
components. What changes here and why:
- Slack retries an event it thinks failed, and a retry can land on another Rasa server, so
  each event id is handled once across all servers (SharedState) instead of trusting the
  retry-reason header alone (rasa#3882 shows duplicate replies).
- An agent's reply sent later through Rasa's HTTP API (`output_channel=latest`) gets an output
  channel built without the Slack event, which Rasa would send to no channel at all; the
  customer's chat is remembered in Redis at each message and used then.
- Apps created today get granular bot tokens, for which chat.postMessage refuses Rasa's
  `as_user` argument ("invalid_arguments"); it is dropped.
- The URL-verification handshake is answered with the JSON object Slack documents.
- Rasa handles a Slack message after answering Slack (within Slack's 3 s), and a failure went
  unnoticed: here a message that did not go through is not stored and the customer is told
  in the chat to send it again (addons/channels/delivery.py).
- SLACK_API_URL points the Web API client at a local stand-in (tests/fakes).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.web.async_client import AsyncWebClient

from addons.channels.body import BadBody
from addons.channels.delivery import RETRY_TEXT, handled, remember_failed
from addons.channels.settings import ChannelSettings
from addons.channels.shared_state import SharedState
from addons.channels.slack_body import check_slack_body
from addons.channels.speaker import LabelsPeople
from contract.privacy import mask_before_storage

logger = logging.getLogger(__name__)


class SlackReplies(LabelsPeople, SlackBot):
    """Posts bot and agent messages with the Web API at the configured base URL."""

    def __init__(
        self,
        token: str,
        api_url: str,
        routes: SharedState,
        slack_channel: str | None = None,
        thread_id: str | None = None,
        proxy: str | None = None,
    ) -> None:
        """`slack_channel` is unknown for replies sent through the HTTP API: see send_response."""
        super().__init__(token, slack_channel, thread_id, proxy)
        self.slack_channel: str | None = slack_channel
        self.client = AsyncWebClient(token, proxy=proxy, base_url=api_url)
        self._routes = routes

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """Finds the customer's chat first when this reply did not come from a Slack event."""
        if self.slack_channel is None:
            route = await self._routes.route(recipient_id)
            if route:
                self.slack_channel = route["channel"]
                self.thread_id = route.get("thread_ts")
        await super().send_response(recipient_id, message)

    async def _post_message(self, channel: str, **kwargs: Any) -> None:
        kwargs.pop("as_user", None)
        await super()._post_message(channel, **kwargs)


class SlackChannel(SlackInput):
    """The `slack` channel (webhook /webhooks/slack/webhook) with the changes listed above."""

    def __init__(self, *args: Any, settings: ChannelSettings | None = None, **kwargs: Any) -> None:
        """Takes SlackInput's arguments (from credentials.yml) plus the shared settings."""
        super().__init__(*args, **kwargs)
        self._settings = settings or ChannelSettings.from_environment()
        self._state = SharedState(self._settings.redis_url, self.name())

    def get_output_channel(
        self, channel: str | None = None, thread_id: str | None = None
    ) -> OutputChannel:
        """Called with the event's chat for replies, and with nothing for HTTP-API replies."""
        return SlackReplies(
            self.slack_token,
            self._settings.slack_api_url,
            self._state,
            channel or self.slack_channel,
            thread_id,
            self.proxy,
        )

    async def process_message(
        self,
        request: Request,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        text: str,
        sender_id: str | None,
        metadata: dict | None,
    ) -> Any:
        """Handles each Slack event once and remembers the chat it came from."""
        event_id = _event_id(request)
        if event_id and not await self._state.first_delivery(event_id):
            logger.info(
                "slack: event %s was already handled; ignoring delivery (retry %s, reason %s)",
                event_id,
                request.headers.get(self.retry_num_header),
                request.headers.get(self.retry_reason_header),
            )
            return response.text("", headers={"X-Slack-No-Retry": "1"})
        if sender_id and metadata and metadata.get("out_channel"):
            await self._state.remember_route(
                sender_id,
                {
                    "channel": metadata["out_channel"],
                    "thread_ts": metadata.get("thread_id") if self.use_threads else None,
                },
            )
        # Card numbers are masked before Rasa stores the message (contract/privacy.py).
        return await super().process_message(
            request,
            lambda message: self._deliver(on_new_message, message),
            mask_before_storage(text),
            sender_id,
            metadata,
        )

    async def _deliver(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]], message: UserMessage
    ) -> None:
        """Handles the message; one that did not go through gets "send it again" in the chat."""
        if (await handled(on_new_message, message)).ok:
            return
        await remember_failed(self._settings.redis_url, message.sender_id)
        try:
            await message.output_channel.send_text_message(message.sender_id, RETRY_TEXT)
        except Exception as error:  # Slack unreachable too: the log is all that is left
            logger.error("slack: could not say a message did not go through: %s", error)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's routes; a malformed body is refused (400) and the URL-verification
        handshake answered before Rasa's handler runs."""
        webhook = super().blueprint(on_new_message)

        @webhook.middleware("request")
        async def check_body_then_verification(request: Request) -> HTTPResponse | None:
            if request.method == "POST":
                try:
                    check_slack_body(request.headers.get("content-type"), request.body)
                except BadBody as problem:
                    return response.text(str(problem), status=HTTPStatus.BAD_REQUEST)
            if (
                request.method != "POST"
                or request.headers.get("content-type") != "application/json"
            ):
                return None
            body = request.json or {}
            if body.get("type") != "url_verification":
                return None
            if not self.is_request_from_slack_authentic(request):
                return response.text("Invalid X-Slack-Signature", status=HTTPStatus.BAD_REQUEST)
            return response.json({"challenge": body.get("challenge", "")})

        return webhook


def _event_id(request: Request) -> str | None:
    """Slack's id of an Events API delivery (button clicks are not retried, so have none)."""
    if request.headers.get("content-type") != "application/json":
        return None
    return (request.json or {}).get("event_id")
