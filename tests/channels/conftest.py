"""Fixtures of the channel tests: the browser, screenshots, no contact history carried over.

The running system they share with tests/fuzz is `channel_system` (tests/channel_system.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from launcher.settings import PROJECT_ROOT
from tests.stacks import forget_contacts_for

ARTIFACTS = PROJECT_ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go (gitignored test-artifacts/)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's chromium driven by Playwright (installed by scripts/setup.sh --test)."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(autouse=True)
def forget_contacts(request: pytest.FixtureRequest) -> None:
    """Each test starts with no contact history (tests/stacks.py)."""
    forget_contacts_for(request, "channel_system")
