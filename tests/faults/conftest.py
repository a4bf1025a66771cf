"""One supervised system for the fault suite: parts are killed, the launcher's supervisor
(launcher/supervisor.py) brings them back, as `make run` does."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from launcher.stack import Stack
from launcher.supervisor import RestartPolicy, Supervisor
from tests.e2e.conftest import stack_settings

# A longer first delay than `make run` uses, so each outage spans several customer messages.
OUTAGE = RestartPolicy(max_crashes=5, window_s=600, first_delay_s=4.0, max_delay_s=8.0)


@pytest.fixture(scope="module")
def supervised(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A running system whose crashed parts are restarted by a supervisor thread."""
    stack = Stack(stack_settings(tmp_path_factory.mktemp("faults")))
    stack.start(report=print)
    supervisor = Supervisor(stack.children, stack.env, OUTAGE, report=print)
    stopped = threading.Event()

    def watch() -> None:
        while not stopped.wait(0.2):
            supervisor.check()

    watcher = threading.Thread(target=watch, name="supervisor", daemon=True)
    watcher.start()
    try:
        yield stack
    finally:
        stopped.set()
        watcher.join()
        stack.stop()
