"""A fake API server on loopback that records the calls it receives."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from werkzeug.serving import make_server

from harness.helpers import free_port


@dataclass(frozen=True)
class Call:
    """One API call as the fake received it."""

    method: str
    params: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class RecordingApi:
    """Runs a Flask app in a background thread; `calls` grows as requests arrive."""

    def __init__(self, app: Flask) -> None:
        """Nothing listens until `start`."""
        self.app = app
        self.calls: list[Call] = []
        self._changed = threading.Condition()
        self._server = make_server("127.0.0.1", free_port(), app, threaded=True)
        self._thread = threading.Thread(
            # A short poll so `stop` returns at once: the suites start and stop a fake per test.
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
        )

    @property
    def url(self) -> str:
        """Base URL of the fake."""
        return f"http://127.0.0.1:{self._server.server_port}"

    def start(self) -> RecordingApi:
        """Starts serving; the socket is already bound, so it answers at once."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stops serving."""
        self._server.shutdown()
        self._thread.join(timeout=5)

    def record(self, call: Call) -> None:
        """Called by the fake's routes."""
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    def matching(self, predicate: Callable[[Call], bool]) -> list[Call]:
        """The calls so far that satisfy `predicate`."""
        with self._changed:
            return [call for call in self.calls if predicate(call)]

    def wait_for(self, predicate: Callable[[Call], bool], timeout: float = 60.0) -> Call:
        """The first call satisfying `predicate`, waiting for it if needed."""
        with self._changed:
            found = self._changed.wait_for(
                lambda: next((c for c in self.calls if predicate(c)), None), timeout
            )
            if found is None:
                received = "\n".join(f"  {c.method} {c.params}" for c in self.calls) or "  (none)"
                raise AssertionError(f"no matching call within {timeout}s; received:\n{received}")
            return found
