"""Keeps the system serving when one part crashes: restart it with backoff, give up only on a loop.

One dead part used to stop everything (Rasa included). Now a part that exits on its own is
started again after a short, growing delay, and the other parts never notice. Only a part that
keeps crashing (`max_crashes` within `window_s`) ends the run, with a message naming it and
the tail of its log, because restarting it forever would hide a broken installation.

The check is non-blocking (call `check()` about once a second): a restart starts the process
and returns; if the new process dies too, the next check counts another crash.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from launcher.process import Child
from settings.env import Env


class GaveUp(RuntimeError):
    """A part crashed too often in a short time; the message says which and shows its log."""


@dataclass(frozen=True)
class RestartPolicy:
    """How eagerly crashed parts are restarted (settings: SUPERVISE_* in README.md)."""

    max_crashes: int = 5
    window_s: float = 60.0
    first_delay_s: float = 0.5
    max_delay_s: float = 10.0

    @classmethod
    def from_env(cls, env: Env) -> RestartPolicy:
        """SUPERVISE_MAX_CRASHES and SUPERVISE_WINDOW_S, defaults above."""
        return cls(
            max_crashes=env.integer("SUPERVISE_MAX_CRASHES", cls.max_crashes, minimum=1),
            window_s=env.number("SUPERVISE_WINDOW_S", cls.window_s, minimum=1.0),
        )

    def delay(self, recent_crashes: int) -> float:
        """Backoff before the next start: doubles with each crash in the window, capped."""
        return min(self.first_delay_s * 2.0 ** max(recent_crashes - 1, 0), self.max_delay_s)


@dataclass
class _Record:
    """What the supervisor remembers of one part: when it crashed, when to start it again."""

    crashes: deque[float] = field(default_factory=deque)
    restart_at: float | None = None


class Supervisor:
    """Restarts crashed children of a running stack; see the module docstring."""

    def __init__(
        self,
        children: Mapping[str, Child],
        env: dict[str, str],
        policy: RestartPolicy | None = None,
        report: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`env` is the environment each child was first started with."""
        self._children = children
        self._env = env
        self.policy = policy or RestartPolicy()
        self._say = report or (lambda _line: None)
        self._clock = clock
        self._records = {name: _Record() for name in children}

    def check(self) -> None:
        """Notices crashed parts and restarts those whose backoff has passed; raises GaveUp."""
        now = self._clock()
        for name, child in self._children.items():
            record = self._records[name]
            if record.restart_at is None:
                if not child.running():
                    self._crashed(name, child, record, now)
            elif now >= record.restart_at:
                record.restart_at = None
                child.start(self._env)
                self._say(f"restarted {name} (pid {child.pid})")

    def _crashed(self, name: str, child: Child, record: _Record, now: float) -> None:
        """Counts a crash and schedules the restart, or gives up when crashes come too fast."""
        record.crashes.append(now)
        while record.crashes and now - record.crashes[0] > self.policy.window_s:
            record.crashes.popleft()
        recent = len(record.crashes)
        if recent >= self.policy.max_crashes:
            raise GaveUp(
                f"{name} crashed {recent} times within {self.policy.window_s:.0f}s; "
                f"stopping everything. Last lines of {child.log_path}:\n{child.log_tail()}"
            )
        delay = self.policy.delay(recent)
        record.restart_at = now + delay
        self._say(
            f"{name} stopped unexpectedly (exit code {child.exit_code}); "
            f"restarting in {delay:.1f}s (crash {recent} of {self.policy.max_crashes} "
            f"allowed within {self.policy.window_s:.0f}s)"
        )
