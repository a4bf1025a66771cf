"""A small static server for the demo shop page and the chat widget (stdlib only).

The page is a template: it is told where browsers reach the Rasa server's socket.io endpoint.
By default that is the host the browser used for this page with the Rasa server's port, so
the same page works on localhost and across a LAN; WIDGET_SOCKET_URL names a public URL
instead (for example behind a reverse proxy with TLS).

The page carries a Content-Security-Policy: scripts, styles and images from this server only,
connections only to this server and the Rasa server's socket, and `frame-ancestors`: only this
server and the shop origins in WIDGET_FRAME_ANCESTORS may put the page in a frame, so another
site cannot frame the chat and trick a customer into typing into it (clickjacking).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from web.settings import WebSettings

STATIC_DIR = Path(__file__).resolve().parent / "static"
PAGE_TEMPLATE = STATIC_DIR / "index.html"
# The widget's files (web/static/widget/), which shop pages on any origin load.
WIDGET_PATH = "/widget/"


def content_security_policy(socket_url: str, frame_ancestors: frozenset[str]) -> str:
    """The page's policy: nothing inline, nothing from elsewhere, framed only where allowed."""
    socket = urlsplit(socket_url)
    websocket = socket._replace(scheme="wss" if socket.scheme == "https" else "ws").geturl()
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data: https:",
        "connect-src": f"'self' {socket_url} {websocket}",
        "frame-ancestors": " ".join(["'self'", *sorted(frame_ancestors)]),
        "base-uri": "'none'",
        "form-action": "'self'",
        "object-src": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class WebServer(ThreadingHTTPServer):
    """Carries the settings to each request handler."""

    daemon_threads = True

    def __init__(self, settings: WebSettings) -> None:
        """Binds at once, so a busy port fails at start-up."""
        super().__init__((settings.host, settings.port), WebHandler)
        self.settings = settings


class WebHandler(SimpleHTTPRequestHandler):
    """GET /health, GET / (the demo page), static files; no directory listings."""

    server: WebServer

    def __init__(self, *args: object, **kwargs: object) -> None:
        """Serves files from web/static only."""
        super().__init__(*args, directory=str(STATIC_DIR), **kwargs)  # type: ignore[arg-type]

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        """Routes the three kinds of request."""
        path = urlsplit(self.path).path
        if path == "/health":
            self._send(HTTPStatus.OK, b"ok", "text/plain; charset=utf-8")
        elif path in ("/", "/index.html"):
            socket_url = self._socket_url()
            policy = content_security_policy(socket_url, self.server.settings.frame_ancestors)
            self._send(
                HTTPStatus.OK,
                self._page(socket_url),
                "text/html; charset=utf-8",
                {"Content-Security-Policy": policy},
            )
        else:
            super().do_GET()

    def end_headers(self) -> None:
        """Browsers re-check files on each load, so a changed widget is picked up at once.

        The widget is ES modules, which browsers fetch with CORS (and without credentials):
        a shop page on another origin can load them only with Access-Control-Allow-Origin.
        """
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        if urlsplit(self.path).path.startswith(WIDGET_PATH):
            self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def list_directory(self, path: str) -> None:  # type: ignore[override]
        """No listings: only named files are served."""
        self.send_error(HTTPStatus.NOT_FOUND)
        return None

    def _socket_url(self) -> str:
        configured = self.server.settings.socket_url
        if configured:
            return configured
        host = (
            urlsplit("//" + (self.headers.get("Host") or "")).hostname or self.server.settings.host
        )
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.server.settings.rasa_port}"

    def _page(self, socket_url: str) -> bytes:
        page = PAGE_TEMPLATE.read_text(encoding="utf-8")
        return page.replace("{{SOCKET_URL}}", html.escape(socket_url, quote=True)).encode()

    def _send(
        self,
        status: HTTPStatus,
        body: bytes,
        content_type: str,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(settings: WebSettings) -> None:
    """Serves until interrupted."""
    with WebServer(settings) as server:
        server.serve_forever()
