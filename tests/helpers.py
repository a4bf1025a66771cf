"""Helpers for fixtures that run real services: free ports, readiness polling, the shop.

Kept out of conftest.py so any fixture (or a script) can import them.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

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
    """Run the real shop (`python -m shop`) on a free port with its own database in `workdir`.

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
            [sys.executable, "-m", "shop"], cwd=REPO_ROOT, env=env, stdout=log, stderr=log
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
