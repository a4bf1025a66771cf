"""Finding 2: behind the README's tunnel or any same-host proxy every customer came from
127.0.0.1, which the handoff limit exempted: 271 tickets a minute from one client. Here a tiny
real HTTP proxy stands in front of the Rasa server and appends the address it sees to
X-Forwarded-For, as nginx or a tunnel does; the system believes the header only from the proxy
(TRUSTED_PROXIES=127.0.0.1). Customers connect from other loopback addresses (127.0.0.2, ...),
so each is a different client to the proxy, and 127.0.0.1 is a proxy, not a customer.
"""

from __future__ import annotations

import http.client
import json
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml

from harness.helpers import free_port
from harness.stacks import running_stack
from harness.ticket_helpers import write_desk_config
from launcher.stack import Stack
from tests.e2e.conftest import stack_settings

PER_ADDRESS = 3
LIMITED = "too many requests for a person"


def forwarding_handler(target_port: int) -> type[BaseHTTPRequestHandler]:
    """A reverse proxy's request handler: POSTs passed on with X-Forwarded-For appended."""

    class Forward(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            seen = self.headers.get("X-Forwarded-For")
            forwarded = f"{seen}, {self.client_address[0]}" if seen else self.client_address[0]
            upstream = http.client.HTTPConnection("127.0.0.1", target_port, timeout=60)
            try:
                upstream.request(
                    "POST",
                    self.path,
                    body,
                    {"Content-Type": "application/json", "X-Forwarded-For": forwarded},
                )
                answer = upstream.getresponse()
                data = answer.read()
            finally:
                upstream.close()
            self.send_response(answer.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    return Forward


@pytest.fixture(scope="module")
def proxied_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Stack, int]]:
    """A private system with a small per-address handoff limit, and a proxy in front of it."""
    workdir = tmp_path_factory.mktemp("proxied")
    config = write_desk_config(workdir / "desk.yml")
    raw = yaml.safe_load(config.read_text(encoding="utf-8"))
    raw["handoff_limits"]["per_address"] = f"{PER_ADDRESS} per hour"
    config.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    environ = {"DESK_CONFIG": str(config), "TRUSTED_PROXIES": "127.0.0.1"}
    with running_stack(stack_settings(workdir / "var"), environ) as stack:
        server = ThreadingHTTPServer(
            ("127.0.0.1", free_port()), forwarding_handler(stack.settings.rasa_port)
        )
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield stack, server.server_address[1]
        finally:
            server.shutdown()
            server.server_close()


def ask_for_person(
    port: int, source: str, forwarded_for: str | None = None, label: str = "proxied"
) -> str:
    """A new conversation from `source` asks for a person; the assistant's answer."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=60, source_address=(source, 0)
    )
    headers = {"Content-Type": "application/json"}
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    body = {"sender": f"{label}-{uuid.uuid4().hex[:10]}", "message": "I want to talk to a person"}
    try:
        connection.request("POST", "/webhooks/rest/webhook", json.dumps(body), headers)
        answer = connection.getresponse()
        assert answer.status == 200
        messages = json.loads(answer.read())
    finally:
        connection.close()
    return " ".join(m.get("text", "") for m in messages).lower()


def opened(answers: list[str]) -> list[bool]:
    """Which requests opened a ticket (the rest were told no one was alerted)."""
    return [LIMITED not in answer for answer in answers]


def test_each_customer_behind_the_proxy_has_their_own_limit(
    proxied_stack: tuple[Stack, int],
) -> None:
    _, proxy_port = proxied_stack
    flood = [ask_for_person(proxy_port, "127.0.0.2") for _ in range(PER_ADDRESS + 3)]
    assert opened(flood) == [True] * PER_ADDRESS + [False] * 3
    # A second customer through the same proxy is not affected.
    assert opened([ask_for_person(proxy_port, "127.0.0.3")]) == [True]


def test_a_forged_header_through_the_proxy_does_not_pick_an_address(
    proxied_stack: tuple[Stack, int],
) -> None:
    """The proxy appends what it saw; only that entry is believed."""
    _, proxy_port = proxied_stack
    answers = [
        ask_for_person(proxy_port, "127.0.0.4", forwarded_for=f"198.51.100.{n}")
        for n in range(PER_ADDRESS + 2)
    ]
    assert opened(answers) == [True] * PER_ADDRESS + [False] * 2


def test_a_forged_header_straight_to_the_server_is_ignored(
    proxied_stack: tuple[Stack, int],
) -> None:
    stack, _ = proxied_stack
    answers = [
        ask_for_person(stack.settings.rasa_port, "127.0.0.5", forwarded_for=f"192.0.2.{n}")
        for n in range(PER_ADDRESS + 2)
    ]
    assert opened(answers) == [True] * PER_ADDRESS + [False] * 2
