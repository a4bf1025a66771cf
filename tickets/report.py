"""`python -m tickets.report`: how each handoff trigger performed, from the agents' judgements.

Precision of a trigger = handoffs an agent marked "needed" / handoffs an agent judged. A low
figure means the trigger fires when no person was needed: raise its threshold in
config/handoff.yml. Unjudged handoffs are counted but left out of the precision.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from dataclasses import dataclass

from settings.env import Env
from tickets.model import REASON_LABELS, Judgement
from tickets.store import TicketStore, connect


@dataclass(frozen=True)
class ReasonFigures:
    """One line of the report."""

    reason: str
    handoffs: int
    needed: int
    not_needed: int

    @property
    def judged(self) -> int:
        """Handoffs an agent has judged."""
        return self.needed + self.not_needed

    @property
    def precision(self) -> float | None:
        """Share of judged handoffs that were needed; None before any judgement."""
        return self.needed / self.judged if self.judged else None


def figures(handoffs: dict[str, int], judgements: Iterable[Judgement]) -> list[ReasonFigures]:
    """Per reason, the known reasons first, then any other reason found in the data."""
    needed: dict[str, int] = {}
    not_needed: dict[str, int] = {}
    for judgement in judgements:
        bucket = needed if judgement.needed else not_needed
        bucket[judgement.reason] = bucket.get(judgement.reason, 0) + 1
    reasons = list(REASON_LABELS) + sorted(
        (set(handoffs) | set(needed) | set(not_needed)) - set(REASON_LABELS)
    )
    return [
        ReasonFigures(r, handoffs.get(r, 0), needed.get(r, 0), not_needed.get(r, 0))
        for r in reasons
    ]


HEADER = ("reason", "handoffs", "judged", "needed", "not needed", "precision")
WIDTHS = (18, 8, 7, 7, 11, 10)


def _line(cells: Iterable[object]) -> str:
    first, *rest = [str(c) for c in cells]
    return " ".join(
        [first.ljust(WIDTHS[0])] + [c.rjust(w) for c, w in zip(rest, WIDTHS[1:], strict=True)]
    )


def _cells(row: ReasonFigures) -> list[object]:
    precision = "-" if row.precision is None else f"{row.precision:.0%}"
    return [row.reason, row.handoffs, row.judged, row.needed, row.not_needed, precision]


def render(rows: list[ReasonFigures]) -> str:
    """A plain-text table with a total line."""
    total = ReasonFigures(
        "all",
        sum(r.handoffs for r in rows),
        sum(r.needed for r in rows),
        sum(r.not_needed for r in rows),
    )
    return "\n".join(_line(cells) for cells in [HEADER, *map(_cells, rows), _cells(total)])


def main(argv: list[str] | None = None) -> int:
    """Prints the table for the Redis in REDIS_URL (or --redis-url)."""
    parser = argparse.ArgumentParser(prog="python -m tickets.report", description=__doc__)
    parser.add_argument(
        "--redis-url",
        default=Env().redis_url(),
        help="default: REDIS_URL, else the launcher's embedded Redis",
    )
    args = parser.parse_args(argv)
    store = TicketStore(connect(args.redis_url), frustration_head_start_s=0.0)
    if not store.ping():
        print(f"error: Redis at {args.redis_url} does not answer", file=sys.stderr)
        return 1
    print("Handoff triggers judged by agents (precision = needed / judged)")
    print(render(figures(store.handoffs_by_reason(), store.judgements())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
