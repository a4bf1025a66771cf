"""A stack's parts end when the process that started them is SIGKILLed (launcher/parent_death.py).

A process owns a stack of the real parts (redis-server, shop, action server, desk, page; a
stand-in for the Rasa server, whose model takes minutes to load and which starts the same way)
and is killed with SIGKILL, so no `finally` runs. Every process of every part's session must
then end on its own; before parent_death they ran on, reparented to init.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from harness.helpers import REPO_ROOT

# Starts the stack in `sys.argv[1]`, prints its parts' process ids as one JSON line, then waits
# to be killed.
OWNER = """
import json, sys, time
from pathlib import Path
from harness.stacks import private_settings
from launcher.process import Child, Service
from launcher.stack import Stack, build_services

folder = Path(sys.argv[1])
settings = private_settings(folder / "var", "parent-death-token")
stand_in = Service(
    name="rasa",
    argv=[sys.executable, "-c", "import time; time.sleep(600)"],
    ready=lambda: True,
    listens="stand-in",
)
services = [s for s in build_services(settings) if s.name != "rasa"] + [stand_in]
stack = Stack(settings)
stack.children = {s.name: Child(s, stack.log_dir, Path.cwd()) for s in services}
stack.start()
print(json.dumps({name: child.pid for name, child in stack.children.items()}), flush=True)
time.sleep(600)
"""

# The longest the parts may take to shut down after their owner died (generous: a busy host).
GONE_WITHIN_S = 60.0


def session_members(session_ids: set[int]) -> set[int]:
    """Process ids whose session is one of `session_ids` (each part leads its own session, so
    this also finds anything a part started itself)."""
    members = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # Fields after the command's closing parenthesis: state ppid pgrp session ...
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z" and int(fields[3]) in session_ids:
            members.add(int(entry.name))
    return members


def test_a_killed_owner_leaves_no_part_running(tmp_path: Path) -> None:
    owner = subprocess.Popen(
        [sys.executable, "-c", OWNER, str(tmp_path)],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    parts: dict[str, int] = {}
    try:
        assert owner.stdout is not None  # stdout=PIPE
        parts = json.loads(owner.stdout.readline())
        assert sorted(parts) == ["actions", "desk", "rasa", "redis", "shop", "web"]
        assert session_members(set(parts.values())) >= set(parts.values())
        owner.send_signal(signal.SIGKILL)
        owner.wait()
        deadline = time.monotonic() + GONE_WITHIN_S
        while (left := session_members(set(parts.values()))) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not left, f"still running after their owner was killed: {sorted(left)} of {parts}"
    finally:
        owner.kill()
        owner.wait()
        # The test must not leave the parts behind itself when it fails.
        for pid in session_members(set(parts.values())):
            os.kill(pid, signal.SIGKILL)
