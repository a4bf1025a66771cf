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
from analytics.figures import mean, percent, reason_label, reasons
from analytics.tables import show
from analytics.wording import ENGLISH, Words

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


def _shown_as(value: float | str, template: str) -> str:
    """`value` put in `template` ("%(value)s%%"), or "-" when there is none yet."""
    return template % {"value": show(value)} if value != NONE_YET else NONE_YET


def headlines(counts: Counts, _: Words = ENGLISH) -> list[Headline]:
    """The headline figures of the period, in reading order, in the reader's words."""
    started = counts.total(m.CONVERSATIONS)
    handed = counts.total(m.HANDED_OVER)
    by_reason = counts.details(m.HANDOFFS)
    named = [(reason_label(r, _), by_reason[r]) for r in reasons(counts) if by_reason[r]]
    claimed = counts.total(m.CLAIMED)
    ratings = counts.details(m.CSAT_RATINGS)
    rated = sum(ratings.values())
    satisfied = sum(counts.details(m.CSAT_SATISFIED).values())
    score = mean(sum(counts.details(m.CSAT_SCORE_SUM).values()), rated)
    band = median_claim_band(counts)
    return [
        Headline(
            _("Conversations"),
            show(started),
            _("%(count)s handed to a person") % {"count": show(handed)},
        ),
        Headline(
            _("Containment"),
            _shown_as(percent(started - handed, started), "%(value)s%%"),
            _("resolved by the assistant alone"),
        ),
        Headline(
            _("Handoffs"),
            show(sum(by_reason.values())),
            " · ".join(f"{label} {show(n)}" for label, n in named) or _("none in this period"),
        ),
        Headline(
            _("Typical wait for a person"),
            _(band) if band != NONE_YET else band,
            _("half of the %(count)s claimed tickets waited this long or less")
            % {"count": show(claimed)},
        ),
        Headline(
            _("Satisfaction (CSAT)"),
            _shown_as(percent(satisfied, rated), _("%(value)s%% satisfied")),
            _("%(count)s ratings, average score %(score)s")
            % {"count": show(rated), "score": show(score)},
        ),
    ]


def headlines_text(items: list[Headline]) -> str:
    """The headline figures as plain lines for the terminal."""
    return "\n".join(f"{h.label}: {h.value} ({h.detail})" for h in items)
