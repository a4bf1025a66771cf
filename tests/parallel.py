"""How the suite shares the cores (`make test` runs pytest-xdist: `-n 2 --dist loadgroup`).

Every xdist worker is a pytest process of its own with its own session- and module-scoped
fixtures. A fixture that starts the whole system (Rasa, action server, Redis, desk, shop) or a
browser would start once in each worker that runs one of its tests, and the tests of one
module would be spread over workers. So the tests that share such a fixture instance get one
`xdist_group` and run in one worker: each stack starts once, as in a serial run. A test that
uses two of them joins both groups into one (union-find), so no instance is ever split.

Groups are found from the fixtures a test really uses, not from a list kept by hand: every
module-, class-, package- or session-scoped fixture defined in `tests/` or `harness/`,
except the few in CHEAP_PER_WORKER that each worker may as well have its own copy of.

The scheduler takes the work units largest first; LONGEST_FIRST moves the few tests that
take minutes alone to the front, so they overlap the rest instead of ending the run alone.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import pytest
from xdist.remote import Producer
from xdist.scheduler import LoadGroupScheduling
from xdist.workermanage import WorkerController

# Session fixtures that take a second and hold nothing a test changes: one per worker is
# cheaper than keeping every test that uses them in one worker.
CHEAP_PER_WORKER = frozenset({"shop_server", "artifacts", "domain", "settings", "analyzer"})
# The longest tests, sent to a worker first (test files, relative to the repository). The
# review loop retrains a model with the project's full config on purpose: 4-14 minutes.
LONGEST_FIRST = ("tests/agent_desk/test_review_loop_system.py",)
PROJECT_PACKAGES = ("tests.", "harness.")
SHARED_SCOPES = frozenset({"session", "package", "module", "class"})


def _instances(item: pytest.Item) -> list[str]:
    """One key per shared fixture instance the test uses (pytest makes one instance per
    session, package, module or class, so the key names that scope's node)."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return []
    found = []
    for name in info.names_closure:
        definitions = info.name2fixturedefs.get(name)
        if not definitions or name in CHEAP_PER_WORKER:
            continue
        fixture = definitions[-1]  # the one this test gets (the closest override)
        module = getattr(fixture.func, "__module__", "") or ""
        if fixture.scope not in SHARED_SCOPES or not module.startswith(PROJECT_PACKAGES):
            continue
        if fixture.scope == "module":
            owner = item.nodeid.split("::", 1)[0]
        elif fixture.scope == "class":
            owner = item.nodeid.rsplit("::", 1)[0]
        else:
            owner = fixture.baseid
        found.append(f"{name} in {owner or 'tests'}")  # no "@": xdist splits on it
    return found


def group_shared_fixtures(items: list[pytest.Item]) -> None:
    """Marks each test that uses a shared fixture instance with its group's `xdist_group`."""
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    used = {item.nodeid: _instances(item) for item in items}
    for keys in used.values():
        for key in keys[1:]:
            parent[root(key)] = root(keys[0])
    for item in items:
        keys = used[item.nodeid]
        if keys:
            item.add_marker(pytest.mark.xdist_group(root(keys[0])))


def longest_first(units: OrderedDict[str, Any], workers: int) -> None:
    """Reorders the scheduler's work queue (unit -> tests, largest unit first) in place.

    A worker runs a test only once it knows the next one (for fixture teardown), so xdist
    gives each worker two units at the start. The units holding a LONGEST_FIRST test go
    first; the other workers get the largest units; the unit queued behind each long test
    is the smallest one, so no large unit waits minutes behind it.
    """
    longest = [unit for unit in units if unit.split("::", 1)[0] in LONGEST_FIRST]
    rest = [unit for unit in units if unit not in longest]
    largest = rest[: max(workers - len(longest), 0)]
    smallest = rest[len(largest) :][::-1][: len(longest)]
    order = longest + largest + smallest
    order += [unit for unit in rest if unit not in order]
    for unit in order:
        units.move_to_end(unit)


class LongestFirstScheduling(LoadGroupScheduling):
    """`--dist loadgroup` with the work queue ordered by `longest_first`."""

    _ordered = False

    def _assign_work_unit(self, node: WorkerController) -> None:
        """The first call comes once the queue is complete: order it, then hand out work."""
        if not self._ordered:
            self._ordered = True
            longest_first(self.workqueue, len(self.nodes))
        super()._assign_work_unit(node)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Producer) -> Any:
    """Uses LongestFirstScheduling for `--dist loadgroup` (xdist's own for other modes)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    return LongestFirstScheduling(config, log)
