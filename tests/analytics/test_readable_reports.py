"""Reports people read (issue 26): day labels that never run into each other, whole numbers
for counts, plain names for intents, and one default range for the page and `make report`."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from matplotlib.figure import Figure

from analytics.charts import CHARTS, DAY_LABELS, STACKED_DAY_LABELS
from analytics.counts import DEFAULT_DAYS
from analytics.figures import intent_label
from analytics.report import _parser
from analytics.tables import Cell, Table
from analytics.wording import ENGLISH
from settings.env import Env


def _daily(slug: str, columns: tuple[str, ...], days: int, value: Cell) -> Table:
    first = date(2026, 1, 1)
    rows = [(str(first + timedelta(days=i)), *([value] * (len(columns) - 1))) for i in range(days)]
    return Table(slug, slug, columns, rows)


def _tables(days: int) -> dict[str, Table]:
    return {
        "containment": _daily("containment", ("Day", "Containment (%)"), days, "-"),
        "misunderstood": _daily("misunderstood", ("Day", "Misunderstood (%)"), days, 10.0),
        "handoffs": _daily("handoffs", ("Day", "All handoffs", "Customer asked"), days, 2),
        "outcomes": _daily("outcomes", ("Day", "Refunds created", "Orders cancelled"), days, 1),
        "precision": Table("precision", "p", ("Trigger", "Precision (%)"), [("Asked", 50.0)]),
        "claim_times": Table(
            "claim_times", "c", ("Waited", "Tickets"), [("under 1 min", 1), ("1-5 min", 2)]
        ),
    }


def _labels(figure: Figure) -> list[str]:
    [axes] = figure.axes
    return [t.get_text() for t in axes.get_xticklabels() if t.get_visible() and t.get_text()]


@pytest.mark.parametrize("days", [1, 14, 30, 90, 366])
@pytest.mark.parametrize(
    ("name", "most"),
    [
        ("containment", DAY_LABELS),
        ("misunderstood", DAY_LABELS),
        ("handoffs", STACKED_DAY_LABELS),
        ("outcomes", STACKED_DAY_LABELS),
    ],
)
def test_day_labels_are_few_evenly_spaced_and_start_on_the_first_day(
    name: str, most: int, days: int
) -> None:
    _, draw = CHARTS[name]
    labels = _labels(draw(_tables(days)[name], ENGLISH))
    # Even a period with no value at all (containment "-" every day) keeps its day labels.
    assert labels[0] == "01-01" and 1 <= len(labels) <= most
    shown = [date(2026, int(label[:2]), int(label[3:])) for label in labels]
    steps = {(b - a).days for a, b in zip(shown, shown[1:], strict=False)}
    assert len(steps) <= 1  # evenly spaced


def test_counts_are_drawn_on_whole_numbers() -> None:
    _, draw = CHARTS["claim_times"]
    [axes] = draw(_tables(1)["claim_times"], ENGLISH).axes
    ticks = [t for t in axes.get_xticks() if 0 <= t <= axes.get_xlim()[1]]
    assert ticks == [0, 1, 2]  # not 0, 0.5, 1, 1.5, 2


def test_intents_read_as_plain_words() -> None:
    assert intent_label("complain") == "Complaint"
    assert intent_label("check_delivery") == "Where an order is"  # config/topics.yml
    assert intent_label("some_new_intent") == "Some new intent"


def test_make_report_and_the_page_default_to_the_same_range() -> None:
    assert _parser(Env()).parse_args([]).days == DEFAULT_DAYS
