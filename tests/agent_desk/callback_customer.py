"""A customer on Rasa's `callback` channel, with a tiny local server receiving the bot's pushes.

Why not the REST channel for the desk's end-to-end test: Rasa's REST channel answers within
the customer's own HTTP request and cannot be written to later. For
`output_channel=latest`, rasa/server.py `_get_output_channel` asks the latest input channel
for an output channel; RestInput has none (InputChannel.get_output_channel returns None), so
Rasa falls back to a CollectingOutputChannel whose messages go nowhere: an agent's reply to a
REST customer is stored in the tracker but never delivered. The callback channel is REST in,
HTTP push out (CallbackInput.get_output_channel returns a CallbackOutput), i.e. it behaves like
Slack, Telegram or a website widget: what the agent sends really arrives at the customer.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests


@dataclass
class Inbox:
    """Messages Rasa pushed to the callback URL, in arrival order."""

    url: str = ""
    messages: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def texts(self, recipient: str) -> list[str]:
        """Texts pushed to one conversation so far."""
        with self.lock:
            return [
                m.get("text") or "" for m in self.messages if m.get("recipient_id") == recipient
            ]


@contextmanager
def running_inbox() -> Iterator[Inbox]:
    """Serves the callback URL on a free loopback port."""
    inbox = Inbox()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            return

        def do_POST(self) -> None:
            body = json.loads(
                self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}"
            )
            with inbox.lock:
                inbox.messages.append(body)
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    inbox.url = f"http://127.0.0.1:{server.server_address[1]}/bot"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield inbox
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class CallbackCustomer:
    """One conversation on the callback channel."""

    rasa_url: str
    inbox: Inbox
    sender_id: str = field(default_factory=lambda: f"e2e-desk-{uuid.uuid4().hex[:8]}")

    def say(self, text: str) -> None:
        """Sends a message; Rasa answers (if at all) by pushing to the inbox."""
        response = requests.post(
            f"{self.rasa_url}/webhooks/callback/webhook",
            json={"sender": self.sender_id, "message": text},
            timeout=60,
        )
        response.raise_for_status()

    def received(self) -> list[str]:
        """Everything pushed to this customer so far."""
        return self.inbox.texts(self.sender_id)

    def wait_for(
        self, matches: Callable[[str], bool], after: int = 0, timeout: float = 60.0
    ) -> str:
        """The first pushed text from index `after` on that `matches`, waiting for it."""
        deadline = time.monotonic() + timeout
        while True:
            for text in self.received()[after:]:
                if matches(text):
                    return text
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"no matching message within {timeout}s; received: {self.received()[after:]}"
                )
            time.sleep(0.1)
