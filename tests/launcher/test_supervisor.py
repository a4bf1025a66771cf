"""The launcher keeps the system serving when one part crashes, and gives up only on a loop.

Real processes: two tiny HTTP servers stand in for parts, one is killed; a part that exits
at once stands in for a broken installation.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from harness.helpers import free_port, wait_for_http
from launcher.process import Child, Service, http_ok
from launcher.supervisor import GaveUp, RestartPolicy, Supervisor

FAST = RestartPolicy(max_crashes=3, window_s=60.0, first_delay_s=0.1, max_delay_s=0.5)


def http_part(name: str, tmp_path: Path) -> tuple[Child, str]:
    """A part that serves HTTP until killed."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    argv = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    service = Service(name=name, argv=argv, ready=http_ok(url), listens=url)
    return Child(service, tmp_path / "logs", tmp_path), url


@pytest.fixture
def parts(tmp_path: Path) -> Iterator[dict[str, tuple[Child, str]]]:
    """Two running parts, stopped after the test."""
    made = {name: http_part(name, tmp_path) for name in ("shop", "actions")}
    for child, url in made.values():
        child.start(dict(os.environ))
        wait_for_http(url, timeout=20)
    yield made
    for child, _url in made.values():
        child.stop()


def supervise_until(supervisor: Supervisor, done: Callable[[], bool], attempts: int = 200) -> None:
    """Runs the supervisor's checks until `done()` (as the launcher's loop does)."""
    for _ in range(attempts):
        supervisor.check()
        if done():
            return
        time.sleep(0.1)
    raise AssertionError("the condition never held while supervising")


def test_a_killed_part_is_restarted_and_the_others_keep_serving(
    parts: dict[str, tuple[Child, str]],
) -> None:
    said: list[str] = []
    children = {name: child for name, (child, _url) in parts.items()}
    supervisor = Supervisor(children, dict(os.environ), FAST, report=said.append)
    actions, actions_url = parts["actions"]
    shop, shop_url = parts["shop"]
    shop_pid, old_pid = shop.pid, actions.pid
    assert old_pid is not None

    os.killpg(old_pid, signal.SIGKILL)
    supervise_until(supervisor, lambda: actions.pid != old_pid and http_ok(actions_url)())

    assert requests.get(shop_url, timeout=2).status_code == 200
    assert shop.pid == shop_pid
    assert any("actions stopped unexpectedly" in line for line in said)
    assert any(line.startswith("restarted actions") for line in said)


def test_a_part_that_keeps_crashing_stops_the_run_with_a_clear_message(tmp_path: Path) -> None:
    argv = [sys.executable, "-c", "import sys; print('cannot open the model'); sys.exit(3)"]
    service = Service(name="rasa", argv=argv, ready=lambda: False, listens="-")
    child = Child(service, tmp_path / "logs", tmp_path)
    child.start(dict(os.environ))
    supervisor = Supervisor({"rasa": child}, dict(os.environ), FAST)

    with pytest.raises(GaveUp) as raised:
        supervise_until(supervisor, lambda: False)

    message = str(raised.value)
    assert "rasa crashed 3 times" in message
    assert "cannot open the model" in message
