"""Two Rasa servers and two action servers behind HAProxy on one Redis, started once.

The same launcher as `RASA_INSTANCES=2 ACTION_INSTANCES=2 make run`, on free ports. Tests reach
the system through the balancer (as customers do) or one instance directly (to choose where a
message lands); `X-Served-By` on every balanced response names the instance that served it.
"""

from __future__ import annotations

import os
import secrets
import signal
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from harness.helpers import free_port
from harness.stacks import forget_contacts_for, private_env, rasa_tracker
from launcher.balancer import SERVED_BY_HEADER, rasa_instance_name
from launcher.settings import StackSettings, load_stack_settings
from launcher.stack import Stack

INSTANCES = 2


def scaled_settings(var_dir: str) -> StackSettings:
    """2 + 2 instances, every port free, state in `var_dir`."""
    env = private_env(Path(var_dir), secrets.token_urlsafe(16)) | {
        "RASA_INSTANCES": str(INSTANCES),
        "ACTION_INSTANCES": str(INSTANCES),
        "RASA_INSTANCE_PORTS": ",".join(str(free_port()) for _ in range(INSTANCES)),
        "ACTION_INSTANCE_PORTS": ",".join(str(free_port()) for _ in range(INSTANCES)),
    }
    return load_stack_settings(env)


@dataclass
class ScaledSystem:
    """The running 2 + 2 system and where each Rasa instance listens."""

    stack: Stack
    settings: StackSettings
    instance_urls: dict[str, str] = field(default_factory=dict)

    def kill(self, instance: str) -> None:
        """SIGKILL, as a crash or an out-of-memory kill would: no clean shutdown."""
        pid = self.stack.children[instance].pid
        assert pid is not None
        os.killpg(pid, signal.SIGKILL)
        self.stack.children[instance].stop()  # reaps the process

    @property
    def web_url(self) -> str:
        """The demo shop page; its widget connects to the balancer."""
        return f"http://{self.settings.host}:{self.settings.web_port}"

    @property
    def rasa_url(self) -> str:
        """The balancer's Rasa address (what customers, the desk and the widget use)."""
        return self.settings.rasa_url

    def revive(self, instance: str) -> None:
        """Starts a stopped instance again and waits until the balancer sends it traffic."""
        if not self.stack.children[instance].running():
            self.stack.restart(instance)


@pytest.fixture(scope="session")
def scaled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ScaledSystem]:
    """The running system; stopped after the session."""
    settings = scaled_settings(str(tmp_path_factory.mktemp("scaled")))
    stack = Stack(settings)
    stack.start(report=print)
    urls = {
        rasa_instance_name(number): f"http://{settings.host}:{port}"
        for number, port in enumerate(settings.instances.rasa_ports, 1)
    }
    try:
        yield ScaledSystem(stack, settings, urls)
    finally:
        stack.stop()


@pytest.fixture(autouse=True)
def forget_contacts(request: pytest.FixtureRequest) -> None:
    """No contact history carried over from other tests (harness/stacks.py)."""
    forget_contacts_for(request, "scaled")


@dataclass
class Reply:
    """What the assistant answered and which instance answered it."""

    text: str
    served_by: str


def say(system: ScaledSystem, sender: str, text: str, instance: str | None = None) -> Reply:
    """One REST message, through the balancer or straight to one Rasa instance."""
    base_url = system.instance_urls[instance] if instance else system.settings.rasa_url
    response = requests.post(
        f"{base_url}/webhooks/rest/webhook",
        json={"sender": sender, "message": text},
        timeout=90,
    )
    response.raise_for_status()
    texts = " ".join(m.get("text", "") for m in response.json())
    return Reply(texts, instance or response.headers[SERVED_BY_HEADER])


def tracker(system: ScaledSystem, sender: str) -> dict[str, Any]:
    """The conversation as stored in Redis, read through the balancer."""
    return rasa_tracker(system.settings, sender)


def new_sender(label: str) -> str:
    """A fresh conversation id that shows which test made it."""
    return f"scale-{label}-{secrets.token_hex(4)}"
