"""The web server's settings: where it listens and where the widget finds the Rasa server."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from settings.env import Env


@dataclass(frozen=True)
class WebSettings:
    """Where this server listens and where the widget finds the Rasa server."""

    host: str
    port: int
    rasa_port: int
    socket_url: str | None
    # Shop origins that may show the page in a frame (besides the page's own origin).
    frame_ancestors: frozenset[str] = frozenset()


def load_web_settings(environ: Mapping[str, str] | None = None) -> WebSettings:
    """WEB_HOST, WEB_PORT (8073), RASA_URL (the launcher sets it), WIDGET_SOCKET_URL,
    WIDGET_FRAME_ANCESTORS."""
    env = Env(environ)
    rasa_url = urlsplit(env.url("RASA_URL", "RASA_PORT"))
    return WebSettings(
        host=env.host("WEB_HOST"),
        port=env.port("WEB_PORT"),
        rasa_port=rasa_url.port or env.port("RASA_PORT"),
        socket_url=env.text("WIDGET_SOCKET_URL").rstrip("/") or None,
        frame_ancestors=env.origins("WIDGET_FRAME_ANCESTORS"),
    )
