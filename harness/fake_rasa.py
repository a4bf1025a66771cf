"""A stand-in for the Rasa server's HTTP API on loopback, for the desk's web tests.

It serves the parts of the API the desk uses (GET tracker, POST tracker/events, GET domain)
with the token check, keeps the events each conversation received, and answers the domain's
responses from the real domain/ files, so the wording a test sees is the project's own.
The end-to-end test (test_e2e_browser.py) runs against the real Rasa server instead.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

import yaml

from harness.helpers import REPO_ROOT

TOKEN = "desk-test-token"


def domain_responses() -> dict[str, Any]:
    """Every response in domain/*.yml."""
    responses: dict[str, Any] = {}
    for path in sorted((REPO_ROOT / "domain").glob("*.yml")):
        responses.update(
            (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {}
        )
    return responses


@dataclass
class FakeRasa:
    """What the fake has seen; `down` makes every call answer 503."""

    base_url: str = ""
    events: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    appended: list[dict[str, Any]] = field(default_factory=list)
    down: bool = False

    def tracker(self, conversation_id: str) -> dict[str, Any]:
        """The tracker as Rasa would answer it (paused derived from pause/resume events, slots
        from slot events)."""
        paused = False
        slots: dict[str, Any] = {}
        for event in self.events[conversation_id]:
            if event.get("event") == "pause":
                paused = True
            elif event.get("event") == "resume":
                paused = False
            elif event.get("event") == "slot":
                slots[event["name"]] = event.get("value")
        return {
            "sender_id": conversation_id,
            "events": self.events[conversation_id],
            "paused": paused,
            "slots": slots,
        }

    def bot_texts(self, conversation_id: str) -> list[str]:
        """Texts of the bot events appended to the conversation."""
        return [e["text"] for e in self.events[conversation_id] if e.get("event") == "bot"]


class FakeRasaServer(ThreadingHTTPServer):
    """Carries the fake's state to each request handler."""

    def __init__(self, fake: FakeRasa) -> None:
        super().__init__(("127.0.0.1", 0), FakeRasaHandler)
        self.fake = fake
        self.responses = domain_responses()
        self.lock = threading.Lock()


class FakeRasaHandler(BaseHTTPRequestHandler):
    """The two HTTP API calls the desk makes: read a tracker, append events."""

    server: FakeRasaServer

    def log_message(self, *args: Any) -> None:  # keep test output clean
        return

    def _answer(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _route(self) -> tuple[str, dict[str, list[str]]] | None:
        url = urlparse(self.path)
        query = parse_qs(url.query)
        if self.server.fake.down:
            self._answer(503, {"status": "failure"})
            return None
        if query.get("token") != [TOKEN]:
            self._answer(401, {"status": "failure", "reason": "NotAuthenticated"})
            return None
        return url.path, query

    def do_GET(self) -> None:
        routed = self._route()
        if routed is None:
            return
        path, _ = routed
        if path == "/domain":
            self._answer(200, {"responses": self.server.responses})
        elif path.startswith("/conversations/") and path.endswith("/tracker"):
            conversation = unquote(path[len("/conversations/") : -len("/tracker")])
            with self.server.lock:
                self._answer(200, self.server.fake.tracker(conversation))
        else:
            self._answer(404, {})

    def do_POST(self) -> None:
        routed = self._route()
        if routed is None:
            return
        path, query = routed
        if not (path.startswith("/conversations/") and path.endswith("/tracker/events")):
            self._answer(404, {})
            return
        conversation = unquote(path[len("/conversations/") : -len("/tracker/events")])
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        events = body if isinstance(body, list) else [body]
        fake = self.server.fake
        with self.server.lock:
            fake.events[conversation].extend(events)
            fake.appended.append({"conversation": conversation, "events": events, "query": query})
            self._answer(200, fake.tracker(conversation))


@contextmanager
def running_fake_rasa() -> Iterator[FakeRasa]:
    """Serves a FakeRasa on a free port until the block ends."""
    fake = FakeRasa()
    server = FakeRasaServer(fake)
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
