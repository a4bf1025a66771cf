"""tests/parallel.py: which tests xdist keeps in one worker, and which units it starts first.

The items are stand-ins carrying only what pytest's collection gives the grouping (node id,
the fixtures in the test's closure and their definitions), so each case is spelled out.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest

from tests.parallel import group_shared_fixtures, longest_first


def _project_fixture() -> None:
    """A fixture function defined in this package, as the project's fixtures are."""


@dataclass
class Definition:
    """What the grouping reads of a pytest FixtureDef."""

    scope: str
    baseid: str = ""
    func: Callable[[], None] = _project_fixture


@dataclass
class Item:
    """What the grouping reads of a collected test, and the marks it gets."""

    nodeid: str
    fixtures: dict[str, Definition]
    marks: list[pytest.MarkDecorator] = field(default_factory=list)

    @property
    def _fixtureinfo(self) -> Any:
        return SimpleNamespace(
            names_closure=list(self.fixtures),
            name2fixturedefs={name: [d] for name, d in self.fixtures.items()},
        )

    def add_marker(self, mark: pytest.MarkDecorator) -> None:
        self.marks.append(mark)

    @property
    def group(self) -> str | None:
        names = [m.args[0] for m in self.marks if m.name == "xdist_group"]
        assert len(names) <= 1, names
        return names[0] if names else None


STACK = Definition("session", "tests/e2e")
SHOP = Definition("session")  # CHEAP_PER_WORKER: one per worker is fine
BROWSER = Definition("module", "tests/desk")
TMP = Definition("session", func=pytest.fixture)  # a plugin's (pytest's own module)


def _grouped(*items: Item) -> list[str | None]:
    group_shared_fixtures(items)
    return [item.group for item in items]


def test_the_tests_of_one_session_stack_share_a_group_across_modules() -> None:
    a, b = _grouped(
        Item("tests/e2e/test_a.py::test_one", {"stack": STACK}),
        Item("tests/e2e/test_b.py::test_two", {"stack": STACK}),
    )
    assert a is not None and a == b


def test_a_module_fixture_groups_its_module_only() -> None:
    one, two, other = _grouped(
        Item("tests/desk/test_a.py::test_one", {"browser": BROWSER}),
        Item("tests/desk/test_a.py::test_two", {"browser": BROWSER}),
        Item("tests/desk/test_b.py::test_three", {"browser": BROWSER}),
    )
    assert one is not None and one == two
    assert other is not None and other != one


def test_a_test_using_two_shared_fixtures_joins_their_groups() -> None:
    """A module browser + the session stack: the module's other tests and the stack's tests
    must all be in the one worker that has both."""
    groups = _grouped(
        Item("tests/desk/test_a.py::test_browser_only", {"browser": BROWSER}),
        Item("tests/desk/test_a.py::test_both", {"browser": BROWSER, "stack": STACK}),
        Item("tests/e2e/test_b.py::test_stack_only", {"stack": STACK}),
    )
    assert groups[0] is not None and len(set(groups)) == 1


def test_cheap_and_plugin_fixtures_leave_a_test_free_to_run_anywhere() -> None:
    assert _grouped(
        Item("tests/orders/test_a.py::test_one", {"shop_server": SHOP, "tmp_path_factory": TMP}),
        Item("tests/unit/test_b.py::test_two", {"value": Definition("function")}),
    ) == [None, None]


def test_the_long_test_goes_first_with_the_smallest_unit_behind_it() -> None:
    """Two workers: the review loop and the largest group start at once; the unit queued
    behind the review loop (xdist gives each worker two) is the smallest, not a large one."""
    queue: OrderedDict[str, dict[str, bool]] = OrderedDict(
        (unit, dict.fromkeys(range(size), False))
        for unit, size in [
            ("flows", 271),
            ("e2e", 44),
            ("tests/x.py::test_a", 1),
            ("tests/agent_desk/test_review_loop_system.py::test_loop", 1),
            ("tests/y.py::test_b", 1),
        ]
    )
    longest_first(queue, workers=2)
    assert list(queue) == [
        "tests/agent_desk/test_review_loop_system.py::test_loop",
        "flows",
        "tests/y.py::test_b",
        "e2e",
        "tests/x.py::test_a",
    ]
