"""The few figures a lead looks for first, shown above the tables on /analytics and printed
first by `make report`: conversations, containment, handoffs by reason, the typical wait for a
person, and satisfaction, all for the chosen range.

Built from the same counters as the tables (analytics/figures.py), so they never disagree.
The counters keep claim waits in bands, not one by one, so the typical wait is the band that
holds the median claim, which is exact about what it claims.
"""

from __future__ import annotations

from dataclasses import dataclass

from analytics import recorder as m
from analytics.counts import Counts
from analytics.figures import mean, percent, reasons
from analytics.tables import show
from tickets.model import REASON_LABELS

NONE_YET = "-"


@dataclass(frozen=True)
class Headline:
    """One figure: what it is, its value as shown, and a line saying what it is made of."""

    label: str
    value: str
    detail: str


def median_claim_band(counts: Counts) -> str:
    """The claim-wait band that holds the median claimed ticket; "-" when none was claimed."""
    found = counts.details(m.CLAIM_BUCKET)
    bands = [label for _, label in m.CLAIM_BUCKETS] + [m.LAST_CLAIM_BUCKET]
    claimed = sum(found[band] for band in bands)
    seen = 0.0
    for band in bands:
        seen += found[band]
        if claimed and seen >= claimed / 2:
            return band
    return NONE_YET


def _with_unit(value: float | str, unit: str) -> str:
    return f"{show(value)}{unit}" if value != NONE_YET else NONE_YET


def headlines(counts: Counts) -> list[Headline]:
    """The headline figures of the period, in reading order."""
    started = counts.total(m.CONVERSATIONS)
    handed = counts.total(m.HANDED_OVER)
    by_reason = counts.details(m.HANDOFFS)
    named = [(REASON_LABELS.get(r, r), by_reason[r]) for r in reasons(counts) if by_reason[r]]
    claimed = counts.total(m.CLAIMED)
    ratings = counts.details(m.CSAT_RATINGS)
    rated = sum(ratings.values())
    satisfied = sum(counts.details(m.CSAT_SATISFIED).values())
    score = mean(sum(counts.details(m.CSAT_SCORE_SUM).values()), rated)
    return [
        Headline("Conversations", show(started), f"{show(handed)} handed to a person"),
        Headline(
            "Containment",
            _with_unit(percent(started - handed, started), "%"),
            "resolved by the assistant alone",
        ),
        Headline(
            "Handoffs",
            show(sum(by_reason.values())),
            " · ".join(f"{label} {show(n)}" for label, n in named) or "none in this period",
        ),
        Headline(
            "Typical wait for a person",
            median_claim_band(counts),
            f"half of the {show(claimed)} claimed tickets waited this long or less",
        ),
        Headline(
            "Satisfaction (CSAT)",
            _with_unit(percent(satisfied, rated), "% satisfied"),
            f"{show(rated)} ratings, average score {show(score)}",
        ),
    ]


def headlines_text(items: list[Headline]) -> str:
    """The headline figures as plain lines for the terminal."""
    return "\n".join(f"{h.label}: {h.value} ({h.detail})" for h in items)
