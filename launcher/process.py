"""One child process of the system: started with its log file, checked for readiness, stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import requests

from launcher.logpump import LogLimits, start_log_pump
from launcher.parent_death import die_with_parent
from settings.env import Env

# How often a starting part is asked whether it is ready (an HTTP GET or a Redis PING).
READY_POLL_S = 0.1


class StartError(RuntimeError):
    """A part of the system did not become ready; the message ends with its log's tail."""


def http_ok(url: str) -> Callable[[], bool]:
    """A readiness check: `url` answers 200."""

    def check() -> bool:
        try:
            return requests.get(url, timeout=2).status_code == 200
        except requests.RequestException:
            return False

    return check


@dataclass
class Service:
    """How to start one part and how to tell it is ready to serve."""

    name: str
    # None for a part that runs elsewhere (a Redis in REDIS_URL): only checked, not started.
    argv: list[str] | None
    ready: Callable[[], bool]
    listens: str
    ready_timeout_s: float = 60.0
    env: dict[str, str] = field(default_factory=dict)
    # Started only once the other parts are ready (HAProxy: it is ready when its backends are).
    start_last: bool = False


class Child:
    """A running service; its output goes to `<log_dir>/<name>.log`."""

    def __init__(self, service: Service, log_dir: Path, cwd: Path) -> None:
        """Does not start anything yet; see `start`."""
        self.service = service
        self.log_path = log_dir / f"{service.name}.log"
        self._cwd = cwd
        self._popen: subprocess.Popen | None = None
        # When `start` was last called: a part's readiness is timed, and its allowance
        # (`ready_timeout_s`) counted, from its own start, also when started beside others.
        self._started_at = time.monotonic()
        # Copies the output into the log; ends when the process closes its output.
        self.log_pump: threading.Thread | None = None

    @property
    def pid(self) -> int | None:
        """The process id once started (None before, or for a part that runs elsewhere), so a
        benchmark can read the process's memory from /proc."""
        return None if self._popen is None else self._popen.pid

    def start(self, base_env: dict[str, str]) -> None:
        """Starts the process in its own process group so stopping reaches its children, and
        ending with this process even when it is killed (launcher/parent_death.py)."""
        self._started_at = time.monotonic()
        if self.service.argv is None:
            return
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._popen = subprocess.Popen(
            self.service.argv,
            cwd=self._cwd,
            env={**base_env, **self.service.env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=die_with_parent(),
        )
        assert self._popen.stdout is not None  # stdout=PIPE
        # Masked, rotated and capped on the way to the file (launcher/logpump.py).
        self.log_pump = start_log_pump(self._popen.stdout, self.log_path, LogLimits.from_env(Env()))

    def ready_after(self) -> float | None:
        """Seconds since its start if it is ready now, None if not yet; raises StartError if
        the process has died or `ready_timeout_s` has passed (asked once, never waits)."""
        elapsed = time.monotonic() - self._started_at
        if self._popen is not None and self._popen.poll() is not None:
            raise StartError(
                f"{self.service.name} exited with code {self._popen.returncode}\n{self.log_tail()}"
            )
        if self.service.ready():
            return elapsed
        if elapsed > self.service.ready_timeout_s:
            raise StartError(
                f"{self.service.name} was not ready after {self.service.ready_timeout_s:.0f}s\n"
                f"{self.log_tail()}"
            )
        return None

    def wait_ready(self, progress: Callable[[float], None]) -> float:
        """Seconds from its start until ready; raises StartError if the process dies or takes
        too long."""
        while (seconds := self.ready_after()) is None:
            progress(time.monotonic() - self._started_at)
            time.sleep(READY_POLL_S)
        return seconds

    @property
    def exit_code(self) -> int | None:
        """The exit status once the process has ended (negative: killed by that signal)."""
        return None if self._popen is None else self._popen.poll()

    def running(self) -> bool:
        """Whether the process is still alive (an external part always counts as running)."""
        if self.service.argv is None:
            return True
        return self._popen is not None and self._popen.poll() is None

    def stop(self, timeout_s: float = 15.0) -> None:
        """SIGTERM to the process group, SIGKILL if it does not exit in time."""
        if self._popen is None or self._popen.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, timeout_s), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(self._popen.pid, sig)
            except ProcessLookupError:
                return
            try:
                self._popen.wait(wait)
                return
            except subprocess.TimeoutExpired:
                continue

    def log_tail(self, lines: int = 30) -> str:
        """The end of the log, for error messages."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"
