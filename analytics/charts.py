"""Charts drawn on the server with matplotlib (already installed as a Rasa dependency).

SVG for the desk page, PNG for `make report`. Nothing comes from a CDN, and no chart needs
colour to be read: series differ by hatch pattern and marker shape as well, bars carry their
values, and every chart sits next to the table it draws. Text is at least 11 px.

Uses matplotlib's object API (Figure, no pyplot), so charts drawn in several request threads
share no global state. Titles and labels are in the reader's words (analytics/wording.py); a
Korean chart is drawn in a Hangul font (Debian's fonts-nanum, installed by deploy/setup.sh), as
matplotlib's own DejaVu Sans has no Hangul and this matplotlib (3.5) has no per-glyph fallback.
"""

from __future__ import annotations

import io
import logging
import math
from collections.abc import Callable
from functools import cache
from pathlib import Path

from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text

from analytics.tables import Table
from analytics.wording import ENGLISH, N_, Words

logger = logging.getLogger(__name__)

FONT_PT = 11.0
"""At 72 dpi for SVG, 11 pt is 11 px."""
HATCHES = ("//", "..", "xx", "\\\\", "oo", "--", "++")
MARKERS = ("o", "s", "^", "D", "v")
# How many day labels fit under a full-width chart, and under a stacked one beside its legend
# (11 px 'MM-DD' labels with room between them).
DAY_LABELS = 8
STACKED_DAY_LABELS = 5
# Light fills so the black hatching shows; the hatching, not the colour, tells series apart.
SHADES = ("#9ecae1", "#d9d9d9", "#fdd0a2", "#ffffff", "#c7e9c0", "#bdbdbd", "#dadaeb")
# Fonts with Hangul and Latin letters both, best first: Debian's fonts-nanum, then Noto CJK.
HANGUL_FONTS = ("NanumGothic", "NanumBarunGothic", "Noto Sans CJK KR", "Noto Sans KR")


@cache
def hangul_font() -> str | None:
    """The first of HANGUL_FONTS matplotlib can use; None (logged) when none is installed.

    matplotlib keeps a cache of the fonts it found on first use, so one installed later is
    looked for among the system's font files and added.
    """
    known = {font.name for font in font_manager.fontManager.ttflist}
    if not known.intersection(HANGUL_FONTS):
        for path in font_manager.findSystemFonts():
            if Path(path).stem.startswith(("Nanum", "NotoSansCJK", "NotoSansKR")):
                font_manager.fontManager.addfont(path)
        known = {font.name for font in font_manager.fontManager.ttflist}
    found = next((name for name in HANGUL_FONTS if name in known), None)
    if found is None:
        logger.error("no Hangul font (%s): Korean charts will show boxes", ", ".join(HANGUL_FONTS))
    return found


def _figure(title: str, width: float = 7.5, height: float = 3.4) -> tuple[Figure, Axes]:
    figure = Figure(figsize=(width, height), dpi=100)
    axes = figure.add_subplot()
    axes.set_title(title, fontsize=FONT_PT + 1, loc="left")
    axes.tick_params(labelsize=FONT_PT)
    axes.spines[["top", "right"]].set_visible(False)
    return figure, axes


def _short_days(days: list[str]) -> list[str]:
    """'03-14' for '2025-03-14'."""
    return [d[5:] for d in days]


def _day_axis(axes: Axes, days: list[str], most: int) -> list[int]:
    """Days as positions 0..n-1, labelled at most `most` times, evenly spaced, so that labels
    never run into each other however long the period (a day without a value keeps its place).

    Returns the positions to plot at.
    """
    positions = list(range(len(days)))
    step = max(1, math.ceil(len(days) / most))
    shown = positions[::step]
    axes.set_xticks(shown, [days[i] for i in shown])
    axes.set_xlim(-0.6, max(len(days), 1) - 0.4)
    return positions


def _percent_per_day(
    table: Table, column: str, titles: tuple[str, str], marker: str, colour: str
) -> Figure:
    """A daily percentage as a line (`titles`: the chart's and the y axis'); the marker shape,
    not only the colour, tells it apart; gaps where nothing happened."""
    title, ylabel = titles
    figure, axes = _figure(title)
    days = _short_days([str(d) for d in table.column("Day")])
    values = [v if isinstance(v, float | int) else float("nan") for v in table.column(column)]
    axes.plot(_day_axis(axes, days, DAY_LABELS), values, marker=marker, color=colour, linewidth=2)
    axes.set_ylim(0, 105)
    axes.set_ylabel(ylabel, fontsize=FONT_PT)
    return figure


def containment_chart(table: Table, _: Words = ENGLISH) -> Figure:
    """Containment per day as a line with square markers."""
    return _percent_per_day(
        table,
        "Containment (%)",
        (_("Containment per day (%)"), _("Share resolved by the assistant (%)")),
        "s",
        "#1f4e79",
    )


def misunderstood_chart(table: Table, _: Words = ENGLISH) -> Figure:
    """The share of messages misunderstood per day as a line with round markers."""
    return _percent_per_day(
        table,
        "Misunderstood (%)",
        (_("Messages misunderstood per day (%)"), _("Share of messages answered (%)")),
        "o",
        "#8a1c1c",
    )


def stacked_daily_chart(
    table: Table, title: str, skip: tuple[str, ...] = ("All handoffs",)
) -> Figure:
    """One stacked bar per day, one hatched band per column (handoffs by reason, outcomes);
    `skip` names columns by their keys (English)."""
    figure, axes = _figure(title)
    days = _short_days([str(d) for d in table.column("Day")])
    positions = _day_axis(axes, days, STACKED_DAY_LABELS)
    bottoms = [0.0] * len(days)
    keys = table.keys or table.columns
    series = [(k, c) for k, c in zip(keys[1:], table.columns[1:], strict=True) if k not in skip]
    for i, (key, name) in enumerate(series):
        values = [float(v) for v in table.column(key)]
        axes.bar(
            positions,
            values,
            bottom=bottoms,
            label=name,
            color=SHADES[i % len(SHADES)],
            hatch=HATCHES[i % len(HATCHES)],
            edgecolor="black",
            linewidth=0.6,
        )
        bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    axes.legend(fontsize=FONT_PT, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    axes.yaxis.get_major_locator().set_params(integer=True)
    # Counts start at 0: an empty period would otherwise draw a -1 (and Nanum has no "−").
    axes.set_ylim(bottom=0)
    figure.subplots_adjust(right=0.62)
    return figure


def labelled_bars(
    table: Table,
    title: str,
    value_column: str,
    suffix: str = "",
    top: float | None = None,
    none_yet: str = "none yet",
) -> Figure:
    """Horizontal bars with their value written at the end (precision, claim bands).

    `top` fixes the axis (100 for percentages); without it the values are counts, so the axis
    shows whole numbers only. A row without a value says `none_yet`.
    """
    labels = [str(row[0]) for row in table.rows]
    cells = table.column(value_column)
    values = [float(v) if isinstance(v, float | int) else 0.0 for v in cells]
    figure, axes = _figure(title, height=max(2.2, 0.45 * len(labels) + 1.0))
    bars = axes.barh(labels, values, color=SHADES[0], hatch="//", edgecolor="black")
    shown = [f"{v:g}{suffix}" if isinstance(v, float | int) else none_yet for v in cells]
    axes.bar_label(bars, labels=shown, padding=3, fontsize=FONT_PT)
    axes.invert_yaxis()
    axes.set_xlim(0, top or max(1.0, *values) * 1.25)
    if top is None:
        axes.xaxis.get_major_locator().set_params(integer=True)
    figure.subplots_adjust(left=0.38)
    return figure


NONE_YET = N_("none yet")
CHARTS: dict[str, tuple[str, Callable[[Table, Words], Figure]]] = {
    "containment": ("containment", containment_chart),
    "misunderstood": ("misunderstood", misunderstood_chart),
    "handoffs": (
        "handoffs",
        lambda t, _: stacked_daily_chart(t, _("Handoffs per day by reason")),
    ),
    "precision": (
        "precision",
        lambda t, _: labelled_bars(
            t, _("Precision per trigger (%)"), "Precision (%)", "%", 100.0, _(NONE_YET)
        ),
    ),
    "claim_times": (
        "claim_times",
        lambda t, _: labelled_bars(
            t, _("Time from handoff to claim (tickets)"), "Tickets", none_yet=_(NONE_YET)
        ),
    ),
    "outcomes": (
        "outcomes",
        lambda t, _: stacked_daily_chart(t, _("Routine outcomes per day"), skip=()),
    ),
}
"""Chart name -> (the table it draws, how, in the reader's words)."""


def render(figure: Figure, fmt: str) -> bytes:
    """The figure as SVG or PNG bytes."""
    out = io.BytesIO()
    figure.savefig(
        out, format=fmt, bbox_inches="tight", metadata={"Date": None} if fmt == "svg" else None
    )
    return out.getvalue()


def chart(name: str, tables: dict[str, Table], fmt: str, _: Words = ENGLISH) -> bytes:
    """One chart of CHARTS drawn from its table (built with the same `_`), as SVG or PNG."""
    slug, draw = CHARTS[name]
    figure = draw(tables[slug], _)
    family = hangul_font() if _.language == "ko" else None
    if family:
        for text in figure.findobj(Text):
            text.set_fontfamily(family)
    return render(figure, fmt)
