"""Reports people read (issue 26): day labels that never run into each other, whole numbers
for counts, plain names for intents, and one default range for the page and `make report`."""

from __future__ import annotations

import warnings
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from matplotlib.figure import Figure

from agent_desk.i18n import KOREAN, translations
from analytics.charts import CHARTS, DAY_LABELS, STACKED_DAY_LABELS, chart
from analytics.counts import DEFAULT_DAYS, Counts, Period
from analytics.figures import all_tables, intent_label
from analytics.headlines import headlines, headlines_text
from analytics.report import _parser
from analytics.tables import Cell, Table
from analytics.wording import ENGLISH, Words
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


KOREAN_WORDS = Words(KOREAN, translations(KOREAN).gettext)


def _png(name: str, tables: dict[str, Table], words: Words) -> tuple[bytes, list[str]]:
    """The chart as PNG, and what matplotlib warned while drawing it: it warns for every letter
    its font lacks, which the PNG shows as a box (tofu)."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        png = chart(name, tables, "png", words)
    return png, [str(w.message) for w in seen if "missing from" in str(w.message)]


def test_korean_charts_are_drawn_in_a_hangul_font_as_png_and_svg() -> None:
    days = 3
    tables = {
        "containment": _daily("containment", ("Day", "Containment (%)"), days, 50.0),
        "misunderstood": _daily("misunderstood", ("Day", "Misunderstood (%)"), days, 10.0),
        "handoffs": Table(
            "handoffs",
            "사유별 상담원 연결",
            ("날짜", "고객이 상담원을 요청함", "전체 연결"),
            [("2026-01-01", 2, 2)],
            keys=("Day", "Customer asked for a person", "All handoffs"),
        ),
        "outcomes": _daily("outcomes", ("Day", "Refunds created"), days, 1),
        "precision": Table(
            "precision",
            "p",
            ("사유", "정확도(%)"),
            [("고객이 상담원을 요청함", "-")],
            keys=("Trigger", "Precision (%)"),
        ),
        "claim_times": Table("claim_times", "c", ("대기 시간", "Tickets"), [("1분 미만", 1)]),
    }
    for name in CHARTS:
        png, missing = _png(name, tables, KOREAN_WORDS)
        assert missing == [], name
        assert png.startswith(b"\x89PNG") and len(png) > 5000
    svg = chart("handoffs", tables, "svg", KOREAN_WORDS).decode("utf-8")
    assert "<svg" in svg
    # The same Korean words in matplotlib's own font are boxes: the check above can fail.
    assert _png("handoffs", tables, ENGLISH)[1]


def test_a_korean_reader_gets_korean_table_words_and_charts_still_find_their_columns() -> None:
    period = Period(date(2026, 1, 1), date(2026, 1, 2), None)
    empty = Counts(period, {day: {} for day in period.days})
    tables = {t.slug: t for t in all_tables(empty, ZoneInfo("Europe/Berlin"), KOREAN_WORDS)}
    containment = tables["containment"]
    assert containment.title == "자동 해결률: 상담원 없이 해결된 대화"
    assert containment.columns[0] == "날짜" and containment.keys[0] == "Day"
    assert containment.total is not None and containment.total[0] == "전체 기간"
    assert tables["claim_times"].column("Waited")[0] == "1분 미만"
    assert tables["satisfaction"].empty == "이 기간에는 평가가 없어요."
    assert intent_label("check_delivery", KOREAN_WORDS) == "주문 배송 상태"  # label_ko
    assert intent_label("complain", KOREAN_WORDS) == "불만 제기"  # the desk's catalog
    lines = headlines_text(headlines(empty, KOREAN_WORDS))
    assert lines.splitlines()[0] == "대화: 0 (상담원 연결 0건)"
    assert "만족도(CSAT): - (평가 0건, 평균 -점)" in lines
    for name in CHARTS:  # an empty period too, in Hangul, with no box for a missing letter
        assert _png(name, tables, KOREAN_WORDS)[1] == [], name


def test_csv_keeps_hangul_and_terminal_columns_line_up_with_wide_letters() -> None:
    table = Table("t", "표", ("이름", "Tickets"), [("1분 미만", 3), ("over 1 h", 12)])
    assert table.csv() == "이름,Tickets\n1분 미만,3\nover 1 h,12\n"
    lines = table.text().splitlines()[1:]
    assert [len(line.encode("utf-8")) > len(line) for line in lines] == [True, True, False]
    # '1분 미만' takes 8 terminal columns (Hangul is two wide), as many as 'over 1 h'.
    assert lines[1] == "1분 미만        3" and lines[2] == "over 1 h       12"
