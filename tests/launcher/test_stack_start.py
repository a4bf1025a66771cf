"""The launcher starts Redis first, then the other parts together, and HAProxy once they are up.

Real processes stand in for the parts: each leaves a file when it has started and another when
it is ready, and refuses to start (exits) when a part it needs is not ready yet. A launcher
that waited for each part before starting the next would never see the action server ready
(here it waits for the Rasa server to have started), so the start would fail.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from harness.stacks import private_settings
from launcher.process import Child, Service, StartError
from launcher.stack import Stack

# A part: refuses to start unless every file in `needs` exists, then leaves `<name>.started`,
# waits for every file in `waits_for`, leaves `<name>.ready` and runs until stopped.
PART = """
import pathlib, sys, time
folder, name, needs, waits_for = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
if not all((folder / f).exists() for f in needs.split()):
    sys.exit(f"{name}: started before {needs} existed")
(folder / f"{name}.started").touch()
while not all((folder / f).exists() for f in waits_for.split()):
    time.sleep(0.05)
(folder / f"{name}.ready").touch()
time.sleep(600)
"""


def part(
    folder: Path, name: str, needs: str = "", waits_for: str = "", start_last: bool = False
) -> Child:
    """A stand-in part that is ready once its `<name>.ready` file exists."""
    service = Service(
        name=name,
        argv=[sys.executable, "-c", PART, str(folder), name, needs, waits_for],
        ready=(folder / f"{name}.ready").exists,
        listens=name,
        ready_timeout_s=20,
        start_last=start_last,
    )
    return Child(service, folder / "logs", folder)


def stack_of(folder: Path, *children: Child) -> Stack:
    """A stack (private settings, so nothing is written into the project) of these parts."""
    stack = Stack(private_settings(folder / "var", "start-order-token"))
    stack.children = {child.service.name: child for child in children}
    return stack


def test_redis_first_then_the_others_together_then_the_balancer(tmp_path: Path) -> None:
    stack = stack_of(
        tmp_path,
        part(tmp_path, "redis"),
        # Ready only once the Rasa server has started: a one-at-a-time start never gets there.
        part(tmp_path, "actions", needs="redis.ready", waits_for="rasa.started"),
        part(tmp_path, "rasa", needs="redis.ready"),
        part(tmp_path, "balancer", needs="actions.ready rasa.ready", start_last=True),
        part(tmp_path, "desk", needs="redis.ready"),
    )
    said: list[str] = []
    try:
        stack.start(report=said.append)
        assert all(child.running() for child in stack.children.values())
        ready = [line.split()[0] for line in said if " ready in " in line]
        assert sorted(ready) == ["actions", "balancer", "desk", "rasa", "redis"]
        assert ready[0] == "redis" and ready[-1] == "balancer"
    finally:
        stack.stop()
    assert not any(child.running() for child in stack.children.values())


def test_a_part_that_dies_while_starting_stops_the_others(tmp_path: Path) -> None:
    stack = stack_of(
        tmp_path,
        part(tmp_path, "redis"),
        part(tmp_path, "rasa", needs="redis.ready"),
        part(tmp_path, "actions", needs="never.there"),
    )
    with pytest.raises(StartError, match="actions exited"):
        stack.start()
    assert not any(child.running() for child in stack.children.values())
