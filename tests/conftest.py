"""Fixtures shared by the whole test suite."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from xdist.workermanage import WorkerController

from harness.helpers import REPO_ROOT, running_shop
from harness.redis_server import RedisServer
from harness.ticket_helpers import HEAD_START_S
from settings.env import Env
from settings.secret_file import secret_or_file
from settings.shared_secrets import ACTION_SECRETS, DESK_SECRETS, RASA_SECRETS
from tests.channel_system import channel_system
from tests.parallel import group_shared_fixtures, pytest_xdist_make_scheduler
from tickets.store import TicketStore, connect

# Registered here, once, so tests/addons/channels and tests/fuzz share one running system (a fixture
# imported into two conftest files would be two fixtures, and two stacks started); the
# scheduler hook makes `--dist loadgroup` start the longest tests first (tests/parallel.py).
__all__ = ["channel_system", "pytest_xdist_make_scheduler"]

# The stock Rasa bot the benchmark compares against takes minutes to train on a 2-core
# machine; the benchmark test runs late in the suite, so the training starts in the
# background as soon as the tests are collected, at the lowest CPU priority so it takes only
# time the tests leave idle. The benchmark waits for it (a lock in benchmarks/systems.py).
_stock_training: list[subprocess.Popen[bytes]] = []

# `make test-fast` leaves out the suites marked `system` (they start the Rasa server and the
# action server, the launcher's whole stack, or train a model) and `browser` (they drive
# Chromium). A test is marked by the fixtures it uses, so a new test that uses one of these is
# marked without anyone having to remember (a fixture named `*_stack` counts too); the few
# modules that start such processes themselves carry a `pytestmark`.
SYSTEM_FIXTURES = frozenset(
    {"stack", "channel_system", "flows_stack", "system", "scaled", "supervised", "tiny_run"}
)
BROWSER_FIXTURES = frozenset({"browser"})


def pytest_configure(config: pytest.Config) -> None:
    """Creates the generated secrets under var/secrets before any xdist worker starts, so
    two workers never race to create one (a reader could see the file still empty)."""
    if not hasattr(config, "workerinput"):
        for name in sorted({*RASA_SECRETS, *ACTION_SECRETS, *DESK_SECRETS}):
            secret_or_file(Env(), name)


@pytest.hookimpl(tryfirst=True)  # before `-m` selection and xdist's loadgroup read the marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Marks the tests that use a fixture starting the whole system or a browser, and groups
    the tests that share a running stack for xdist (tests/parallel.py)."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & SYSTEM_FIXTURES or any(name.endswith("_stack") for name in used):
            item.add_marker(pytest.mark.system)
        if used & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
    group_shared_fixtures(items)


def _train_stock_if_benchmarked(config: pytest.Config, test_files: set[str]) -> None:
    """Starts training the stock bot when the benchmark test is among the tests to run."""
    if config.option.collectonly or "test_benchmarks.py" not in test_files:
        return
    _stock_training.append(
        subprocess.Popen(
            ["nice", "-n", "19", sys.executable, "-m", "benchmarks", "--train-stock"],
            cwd=REPO_ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own group: stopped with its `rasa init` child
        )
    )


def pytest_collection_finish(session: pytest.Session) -> None:
    """A serial run trains in this process; under xdist the controller does it once (a
    worker's run ends before the others', which would stop the training half done)."""
    if not hasattr(session.config, "workerinput"):
        _train_stock_if_benchmarked(session.config, {item.path.name for item in session.items})


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node: WorkerController, ids: Sequence[str]) -> None:
    """Under xdist: the controller starts the training once, from the first worker's list."""
    if not _stock_training:
        files = {nodeid.split("::", 1)[0].rsplit("/", 1)[-1] for nodeid in ids}
        _train_stock_if_benchmarked(node.config, files)


def pytest_unconfigure(config: pytest.Config) -> None:
    """A training still running when the tests end (the benchmark was deselected or failed
    early) is stopped; an interrupted training is redone by the next run."""
    for process in _stock_training:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)


@pytest.fixture(scope="session")
def shop_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the real shop (`python -m orders.demo_shop`), started once for the session.

    Shared by every test, so treat it as read-only: a test that refunds or cancels an order
    uses `fresh_shop` (or `harness.helpers.running_shop(tmp_path)`) instead, so no test depends
    on what another one did or on the order they run in.
    """
    with running_shop(tmp_path_factory.mktemp("shop")) as base_url:
        yield base_url


@pytest.fixture
def fresh_shop(tmp_path: Path) -> Iterator[str]:
    """Base URL of a real shop of this test's own, freshly seeded: for tests that change orders."""
    with running_shop(tmp_path) as base_url:
        yield base_url


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A fresh Redis with appendonly, stopped after the test."""
    server = RedisServer(tmp_path / "redis")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def store(redis_server: RedisServer) -> TicketStore:
    """A ticket store on the test's Redis."""
    return TicketStore(connect(redis_server.url), frustration_head_start_s=HEAD_START_S)
