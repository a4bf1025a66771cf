"""Fixtures of the channel tests: the browser, screenshots, no contact history carried over.

The running system they share with tests/fuzz is `channel_system` (tests/channel_system.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from harness.stacks import forget_contacts_for
from launcher.settings import PROJECT_ROOT
from tests.pages import chromium

ARTIFACTS = PROJECT_ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go (gitignored test-artifacts/)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's chromium driven by Playwright (tests/pages.py)."""
    with chromium() as launched:
        yield launched


@pytest.fixture(autouse=True)
def forget_contacts(request: pytest.FixtureRequest) -> None:
    """Each test starts with no contact history (harness/stacks.py)."""
    forget_contacts_for(request, "channel_system")
