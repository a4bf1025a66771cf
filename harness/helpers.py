"""Helpers for fixtures that run real services: free ports, readiness polling, the shop,
and a raw TCP server that answers badly on purpose (for the shop client's failure paths).

Kept out of conftest.py so any fixture (or a script) can import them.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import requests

from contract import keys
from launcher.parent_death import die_with_parent
from settings.redis_target import connect

REPO_ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port nothing listens on right now (the OS picks it, so parallel runs differ)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_http(url: str, timeout: float) -> None:
    """Poll `url` until it answers 200; TimeoutError if it has not within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if requests.get(url, timeout=1.0).status_code == 200:
                return
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} did not answer 200 within {timeout}s")
        time.sleep(0.05)


@contextmanager
def running_shop(workdir: Path, timeout: float = 20.0) -> Iterator[str]:
    """Run the real shop (`python -m orders.demo_shop`) on a free port with its own database in
    `workdir`.

    Yields the base URL once /health answers; stops the process on exit. Its output goes to
    `workdir/shop.log`, which is quoted if the shop fails to start.
    """
    port = free_port()
    env = {
        **os.environ,
        "SHOP_HOST": "127.0.0.1",
        "SHOP_PORT": str(port),
        "SHOP_DB": str(workdir / "shop.sqlite3"),
        "SHOP_RETURN_WINDOW_DAYS": "30",
    }
    log_path = workdir / "shop.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "orders.demo_shop"],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=log,
            preexec_fn=die_with_parent(),
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_for_http(f"{base_url}/health", timeout)
        except TimeoutError as exc:
            log_text = log_path.read_text(errors="replace")
            raise RuntimeError(f"the shop did not start; its output:\n{log_text}") from exc
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def http_answer(status: int, body: bytes, content_type: str = "application/json") -> bytes:
    """A complete HTTP/1.1 response that closes the connection, for `raw_http_server`."""
    head = (
        f"HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


@dataclass
class RawServer:
    """What a `raw_http_server` exposes: where it listens and the requests it has read."""

    base_url: str
    request_lines: list[str] = field(default_factory=list)


def _read_request(conn: socket.socket) -> str:
    """Read one request (head and Content-Length body) and return its request line."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return ""
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(":", 1) for line in lines[1:] if ":" in line)
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return lines[0]


@contextmanager
def raw_http_server(answer: bytes | Literal["drop", "hang"]) -> Iterator[RawServer]:
    """A bare TCP server that misbehaves on purpose, to test how a client copes.

    For every connection it reads one request, records its request line, then sends `answer`
    verbatim, or closes without a word ("drop": the request arrived, the answer is lost), or
    holds the connection open without answering until the server stops ("hang"). The line is
    recorded before the answer, so a client that has seen the answer can count on it.
    """
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)  # so the accept loop notices `stop`
    stop = threading.Event()
    server = RawServer(base_url=f"http://127.0.0.1:{listener.getsockname()[1]}")
    lock = threading.Lock()
    handlers: list[threading.Thread] = []

    def handle(conn: socket.socket) -> None:
        with conn:
            try:
                line = _read_request(conn)
                with lock:
                    server.request_lines.append(line)
                if answer == "hang":
                    stop.wait()
                elif answer != "drop":
                    conn.sendall(answer)
            except OSError:  # the client gave up first: nothing left to do
                pass

    def accept_loop() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:  # no one connected; look at `stop` again
                continue
            conn.settimeout(None)
            handler = threading.Thread(target=handle, args=(conn,), daemon=True)
            handler.start()
            handlers.append(handler)

    acceptor = threading.Thread(target=accept_loop, daemon=True)
    acceptor.start()
    try:
        yield server
    finally:
        stop.set()
        acceptor.join()
        listener.close()
        for handler in handlers:
            handler.join(timeout=5)


def forget_contact_history(redis_url: str) -> None:
    """Deletes every customer's contact history (actions/history.py, `cs:contacts:*`).

    The demo orders are asked about by many tests; without this, the third test to ask about an
    order would see a returning customer and a repeated-contact handoff.
    """
    client = connect(redis_url, decode_responses=False)
    try:
        found = list(client.scan_iter(keys.CONTACTS_PATTERN))
        if found:
            client.delete(*found)
    finally:
        client.close()
