"""Telegram: a webhook that only Telegram can call, and replies that work from any code path.

Rasa 3.6's TelegramInput is replaced where it falls short:
- it authenticates nothing (it only compares the bot's own name from getMe, one API call per
  update); here every update must carry the secret token Telegram sends in the
  X-Telegram-Bot-Api-Secret-Token header once the webhook is registered with it;
- its get_output_channel() registers the webhook with asyncio.run(), which raises inside the
  running server, so an agent's reply sent through the HTTP API (`output_channel=latest`)
  fails; here it returns a client and the webhook is registered once at start-up;
- Telegram re-sends an update it thinks failed, so each update id is handled once across all
  Rasa servers (SharedState);
- Rasa's answers 200 even when handling failed, so Telegram never re-sends and the message is
  lost; here a failed update (not stored, an action failed, the Bot API refused the reply:
  addons/channels/delivery.py) is forgotten as handled and answered 503, which Telegram retries;
- a body that is not an update gets 400 instead of a 500 and a traceback;
- a tapped button gets its callback answered, so the customer's spinner stops.
TELEGRAM_API_URL points the Bot API client at a local stand-in (tests/fakes).
"""

from __future__ import annotations

import hmac
import json
import logging
import re
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from aiogram.bot.api import TelegramAPIServer
from aiogram.types import Update
from aiogram.utils.exceptions import TelegramAPIError
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from rasa.shared.exceptions import InvalidConfigException
from redis.exceptions import RedisError
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from addons.channels.body import BadBody, is_text, load_object
from addons.channels.delivery import remember_failed, went_through
from addons.channels.settings import ChannelSettings
from addons.channels.shared_state import SharedState
from addons.channels.speaker import LabelsPeople
from contract.privacy import mask_before_storage

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# What Telegram accepts as a webhook secret (Bot API, setWebhook).
SECRET_TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
# Telegram opens every new chat with /start; the assistant answers it like a greeting.
COMMANDS = {"/start": "/greet"}


class TelegramReplies(LabelsPeople, TelegramOutput):
    """Rasa's Telegram output, talking to the Bot API at the configured base URL."""

    def __init__(self, access_token: str, api_url: str) -> None:
        """Skips TelegramOutput.__init__ only to pass the API server to aiogram's Bot."""
        super(TelegramOutput, self).__init__(
            access_token, server=TelegramAPIServer.from_base(api_url)
        )


class TelegramChannel(TelegramInput):
    """The `telegram` channel (webhook /webhooks/telegram/webhook)."""

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TelegramChannel:
        """credentials.yml: access_token and secret_token (both from the environment)."""
        if not credentials:
            cls.raise_missing_credentials_exception()
            raise AssertionError("unreachable: the call above raises")
        return cls(credentials.get("access_token") or "", credentials.get("secret_token") or "")

    def __init__(
        self, access_token: str, secret_token: str, settings: ChannelSettings | None = None
    ) -> None:
        """Refuses to run without a secret: an open webhook lets anyone speak as any chat."""
        if not access_token:
            raise InvalidConfigException("telegram: access_token (TELEGRAM_BOT_TOKEN) is empty")
        if not SECRET_TOKEN_PATTERN.match(secret_token):
            raise InvalidConfigException(
                "telegram: secret_token (TELEGRAM_SECRET_TOKEN) must be 1-256 characters "
                "from A-Z, a-z, 0-9, _ and -"
            )
        self._settings = settings or ChannelSettings.from_environment()
        super().__init__(access_token, None, self._settings.telegram_webhook_url, debug_mode=False)
        self.secret_token = secret_token
        self._state = SharedState(self._settings.redis_url, self.name())
        self._output: TelegramReplies | None = None

    def get_output_channel(self) -> TelegramReplies:
        """One Bot API client per server, used for replies and for the agent's messages."""
        if self._output is None:
            self._output = TelegramReplies(self.access_token, self._settings.telegram_api_url)
        return self._output

    def is_from_telegram(self, request: Request) -> bool:
        """Telegram sends the secret given to setWebhook with every update."""
        sent = request.headers.get(SECRET_HEADER, "")
        return hmac.compare_digest(sent.encode(), self.secret_token.encode())

    async def register_webhook(self) -> None:
        """Tells Telegram where to send updates and which secret to send with them."""
        if not self.webhook_url:
            logger.info("telegram: TELEGRAM_WEBHOOK_URL is not set; register the webhook yourself")
            return
        try:
            await self.get_output_channel().request(
                "setWebhook",
                {
                    "url": self.webhook_url,
                    "secret_token": self.secret_token,
                    "allowed_updates": json.dumps(ALLOWED_UPDATES),
                },
            )
            logger.info("telegram: webhook registered at %s", self.webhook_url)
        except TelegramAPIError as error:
            logger.error("telegram: could not register the webhook %s: %s", self.webhook_url, error)

    async def _handle(
        self,
        update: Update,
        incoming: tuple[int, str],
        request: Request,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> bool:
        """Runs the customer's message; False when it did not go through."""
        chat_id, text = incoming
        out = self.get_output_channel()
        if update.callback_query:
            try:
                await out.answer_callback_query(update.callback_query.id)
            except TelegramAPIError as error:  # only the spinner; the message still counts
                logger.warning("telegram: could not answer a button tap: %s", error)
        message = UserMessage(
            mask_before_storage(text),
            out,
            str(chat_id),
            input_channel=self.name(),
            metadata=self.get_metadata(request),
        )
        return await went_through(on_new_message, message)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """GET / (health) and POST /webhook."""
        webhook = Blueprint("telegram_webhook", __name__)

        @webhook.listener("after_server_start")
        async def register(*_: Any) -> None:
            await self.register_webhook()

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.is_from_telegram(request):
                return response.text("forbidden", status=HTTPStatus.FORBIDDEN)
            try:
                update, incoming = _parse_update(request.body)
            except BadBody as problem:
                return response.text(str(problem), status=HTTPStatus.BAD_REQUEST)
            if incoming is None:
                return response.text("success")
            delivery_id = str(update.update_id)
            try:
                if not await self._state.first_delivery(delivery_id):
                    logger.info("telegram: update %s was already handled", delivery_id)
                    return response.text("success")
            except RedisError:
                return response.text("try again", status=HTTPStatus.SERVICE_UNAVAILABLE)
            if await self._handle(update, incoming, request, on_new_message):
                return response.text("success")
            await self._state.forget_delivery(delivery_id)
            await remember_failed(self._settings.redis_url, str(incoming[0]))
            logger.error("telegram: update %s failed; Telegram will retry", update.update_id)
            return response.text("try again", status=HTTPStatus.SERVICE_UNAVAILABLE)

        return webhook


def _parse_update(raw: bytes) -> tuple[Update, tuple[int, str] | None]:
    """The update and what the customer typed or tapped in it; BadBody for anything else."""
    body = load_object(raw)
    if not isinstance(body.get("update_id"), int):
        raise BadBody("'update_id' must be a whole number")
    try:
        update = Update(**body)
        incoming = _customer_text(update)
    except (TypeError, ValueError, AttributeError, KeyError):
        raise BadBody("the body is not a Telegram update") from None
    chat_id_ok = incoming is not None and type(incoming[0]) is int  # bool is an int too
    if incoming is not None and not (chat_id_ok and is_text(incoming[1])):
        raise BadBody("the update's chat id or text is malformed")
    return update, incoming


def _customer_text(update: Update) -> tuple[int, str] | None:
    """(chat id, text) of what the customer typed or tapped; None for anything else."""
    if update.callback_query and update.callback_query.message:
        return update.callback_query.message.chat.id, update.callback_query.data or ""
    message = update.message or update.edited_message
    if message is None or message.text is None:
        return None
    text = message.text
    command = text.split(maxsplit=1)[0] if text.startswith("/") else ""
    return message.chat.id, COMMANDS.get(command, text)
