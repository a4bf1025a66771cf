"""The one place the channel connectors read the environment.

Secrets (tokens, signing secrets) come through credentials.yml as ${VAR} references, so Rasa
substitutes them; what is read here are the connection details every connector shares. Read
when a channel is created inside the Rasa server, never at import.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from settings.env import Env

SLACK_PRODUCTION_API = "https://slack.com/api/"
TELEGRAM_PRODUCTION_API = "https://api.telegram.org"


@dataclass(frozen=True)
class ChannelSettings:
    """Where the connectors find Redis and the chat platforms' APIs."""

    # Shared by every Rasa server: retry de-duplication, reply routes, socket.io fan-out.
    redis_url: str
    # Base URLs of the platforms' Web APIs; tests point them at local fakes.
    slack_api_url: str
    telegram_api_url: str
    # Public https URL of /webhooks/telegram/webhook; registered with Telegram at start-up.
    telegram_webhook_url: str | None
    # Shop pages (origins) whose widget may reach socket.io (long-polling CORS and WebSocket).
    widget_cors_origins: frozenset[str] = frozenset()
    # Port of the demo page beside this server (web/): its origin may use socket.io too.
    widget_page_port: int = 8073

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> ChannelSettings:
        """Fails with a clear message when REDIS_URL is missing (the launcher always sets it);
        REDIS_SENTINELS, when set, names Redis instead (`Env.redis_url`)."""
        env = Env(environ)
        redis_url = env.text("REDIS_SENTINELS") and env.redis_url()  # Sentinel
        redis_url = redis_url or env.secret(
            "REDIS_URL",
            "the Slack, Telegram and web-chat channels keep shared state in Redis. "
            "Start the system with `python -m launcher run`, or set it.",
        )
        return cls(
            redis_url=redis_url,
            slack_api_url=env.text("SLACK_API_URL", SLACK_PRODUCTION_API).rstrip("/") + "/",
            telegram_api_url=env.text("TELEGRAM_API_URL", TELEGRAM_PRODUCTION_API).rstrip("/"),
            telegram_webhook_url=env.text("TELEGRAM_WEBHOOK_URL") or None,
            widget_cors_origins=env.origins("WIDGET_CORS_ORIGINS"),
            widget_page_port=env.port("WEB_PORT"),
        )
