"""The whole system, started once for the end-to-end tests on free ports.

Redis (embedded), the demo shop, the action server and the Rasa server run as real processes
from the same launcher that `make run` uses, so these tests exercise what a user runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.stacks import forget_contacts_for, private_settings, running_stack
from launcher.settings import StackSettings
from launcher.stack import Stack
from tests.e2e.customer import Customer


def stack_settings(var_dir: Path) -> StackSettings:
    """Settings for a private stack: every port free, state in `var_dir`, a known token
    (tests/faults starts its stacks with these too)."""
    return private_settings(var_dir, "e2e-test-token")


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A running system; a failed start shows the log tail of the part that failed."""
    with running_stack(stack_settings(tmp_path_factory.mktemp("stack"))) as running:
        yield running


@pytest.fixture
def customer(stack: Stack, request: pytest.FixtureRequest) -> Customer:
    """A new customer (own sender id) talking to the running system over REST."""
    return Customer.new(stack.settings, request.node.name)


@pytest.fixture(autouse=True)
def forget_contacts(request: pytest.FixtureRequest) -> None:
    """Each test starts with no contact history (harness/stacks.py)."""
    forget_contacts_for(request, "stack")
