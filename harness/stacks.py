"""Private copies of the whole system for the test folders that start one (e2e, flows,
channels, scale, desk, analytics): every port free, state in a folder of the test's own.

Each folder still starts its own stack where its configuration differs (widget tokens, fake
Slack and Telegram, several instances, a desk config); what they share is written here once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests

from contract.at_rest import SECRET_NAME as SEAL_SECRET
from harness.helpers import forget_contact_history, free_port
from launcher.settings import StackSettings, load_stack_settings
from launcher.stack import Stack
from settings.env import Env
from settings.secret_file import secret_or_file

PUBLIC_PORTS = ("RASA_PORT", "ACTION_PORT", "SHOP_PORT", "REDIS_PORT", "DESK_PORT", "WEB_PORT")


def private_env(var_dir: Path, api_token: str) -> dict[str, str]:
    """The launcher's environment for a private stack: every public port free, state in
    `var_dir`, a known API token (add a folder's own variables to the result)."""
    env = {name: str(free_port()) for name in PUBLIC_PORTS}
    # Every test customer connects from this machine: per-address limits (handoffs, wrong
    # emails) would add up across a folder's tests. Tests of those limits use 127.0.0.2 and up.
    exempt = "127.0.0.1,::1"
    return env | {
        "RASA_API_TOKEN": api_token,
        # The test process opens what the stack sealed (tickets, trackers) with its own key.
        SEAL_SECRET: secret_or_file(Env(), SEAL_SECRET),
        "VAR_DIR": str(var_dir),
        "RATE_LIMIT_EXEMPT_ADDRESSES": exempt,
    }


def private_settings(var_dir: Path, api_token: str) -> StackSettings:
    """Settings for a private stack with nothing but the defaults changed (see private_env)."""
    return load_stack_settings(private_env(var_dir, api_token))


@contextmanager
def running_stack(
    settings: StackSettings, environ: dict[str, str] | None = None
) -> Iterator[Stack]:
    """The stack started (a failed start shows the failing part's log tail) and stopped on exit.

    `environ` is set in this process while the stack is made and started, so every part
    inherits it (WIDGET_JWT_KEY, DESK_CONFIG); the test process's environment is restored.
    """
    with pytest.MonkeyPatch.context() as patch:
        for name, value in (environ or {}).items():
            patch.setenv(name, value)
        running = Stack(settings)
        running.start(report=print)
    try:
        yield running
    finally:
        running.stop()


def forget_contacts_for(request: pytest.FixtureRequest, system_fixture: str) -> None:
    """Forgets every contact history when the test uses the system (anything with `settings`),
    so earlier tests' questions about the same demo orders do not count as this customer
    coming back (a repeated-contact handoff), and tests pass in any order."""
    if system_fixture in request.fixturenames:
        system = request.getfixturevalue(system_fixture)
        forget_contact_history(system.settings.redis.url)


def rasa_tracker(settings: StackSettings, conversation_id: str) -> dict[str, Any]:
    """The conversation as Rasa stores it, read through its HTTP API with the stack's token."""
    response = requests.get(
        f"{settings.rasa_url}/conversations/{conversation_id}/tracker",
        params={"token": settings.api_token},
        timeout=30,
    )
    response.raise_for_status()
    tracker: dict[str, Any] = response.json()
    return tracker
