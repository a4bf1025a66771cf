"""The figures a support lead reads, as tables built from the period's counters.

The page, the CSV export and `make report` all show these same tables, so they cannot
disagree. Rates are percentages with one decimal; times are seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from analytics import recorder as m
from analytics.counts import Counts
from analytics.tables import Cell, Table
from contract.csat import TRIGGER_LABELS
from contract.labels import channel_label, cue_label, flow_label, plain_intent
from contract.topics import load_topics
from tickets.model import REASON_LABELS

OUTCOME_COLUMNS = {
    m.DELIVERY_ANSWERED: "Deliveries answered",
    m.REFUND_STATUS_ANSWERED: "Refund statuses answered",
    m.REFUND_CREATED: "Refunds created",
    m.ORDER_CANCELLED: "Orders cancelled",
}


def percent(part: float, whole: float) -> float | str:
    """Share in percent with one decimal; '-' when there is nothing to divide."""
    return round(100.0 * part / whole, 1) if whole else "-"


def mean(total: float, count: float) -> float | str:
    """Average with one decimal; '-' when nothing was counted."""
    return round(total / count, 1) if count else "-"


def _daily(
    counts: Counts, columns: tuple[str, ...], row: Callable[[date | None], tuple[Cell, ...]]
) -> tuple[tuple[str, ...], list[tuple[Cell, ...]], tuple[Cell, ...]]:
    """A table with one row per day and a total line (`row(None)` is the total)."""
    rows = [(day.isoformat(), *row(day)) for day in counts.period.days]
    return ("Day", *columns), rows, ("All days", *row(None))


def _at(counts: Counts) -> Callable[[date | None, str, str], float]:
    def value(day: date | None, metric: str, detail: str = "") -> float:
        return counts.total(metric, detail) if day is None else counts.day(day, metric, detail)

    return value


def containment(counts: Counts) -> Table:
    """Conversations resolved without a person, per day (by the day they started)."""
    at = _at(counts)

    def row(day: date | None) -> tuple[Cell, ...]:
        started, handed = at(day, m.CONVERSATIONS, ""), at(day, m.HANDED_OVER, "")
        return started, handed, started - handed, percent(started - handed, started)

    columns, rows, total = _daily(
        counts,
        ("Conversations", "Handed to a person", "Resolved by the assistant", "Containment (%)"),
        row,
    )
    return Table(
        "containment",
        "Containment: conversations resolved without a person",
        columns,
        rows,
        "A conversation counts on the day it started; handed over means at least once.",
        total,
    )


def reasons(counts: Counts) -> list[str]:
    """Known handoff reasons first, then any other found in the period."""
    found = set(counts.details(m.HANDOFFS))
    return list(REASON_LABELS) + sorted(found - set(REASON_LABELS))


def handoffs(counts: Counts) -> Table:
    """Handoffs per day by what triggered them."""
    at, names = _at(counts), reasons(counts)

    def row(day: date | None) -> tuple[Cell, ...]:
        cells = [at(day, m.HANDOFFS, reason) for reason in names]
        return (*cells, sum(cells))

    labels = tuple(REASON_LABELS.get(r, r) for r in names)
    columns, rows, total = _daily(counts, (*labels, "All handoffs"), row)
    return Table("handoffs", "Handoffs by reason", columns, rows, total=total)


def precision(counts: Counts) -> Table:
    """Per trigger: of the handoffs agents judged, the share that needed a person."""
    opened, judged = counts.details(m.HANDOFFS), counts.details(m.JUDGED)
    rows: list[tuple[Cell, ...]] = []
    for reason in reasons(counts):
        needed, not_needed = judged[f"{reason}:needed"], judged[f"{reason}:not_needed"]
        rows.append(
            (
                REASON_LABELS.get(reason, reason),
                opened[reason],
                needed + not_needed,
                needed,
                not_needed,
                percent(needed, needed + not_needed),
            )
        )
    n = [sum(float(r[i]) for r in rows) for i in range(1, 5)]
    return Table(
        "precision",
        "Precision per trigger (agents' judgements)",
        ("Trigger", "Handoffs", "Judged", "Needed", "Not needed", "Precision (%)"),
        rows,
        "Precision = needed / judged. A low figure means the trigger fires when nobody was "
        "needed: raise its threshold in config/handoff.yml.",
        ("All triggers", *n, percent(n[2], n[1])),
    )


def _ranked(
    slug: str, title: str, columns: tuple[str, str], found: dict[str, float], label: Callable
) -> Table:
    rows: list[tuple[Cell, ...]] = [
        (label(name), n) for name, n in sorted(found.items(), key=lambda i: (-i[1], i[0])) if n
    ]
    return Table(slug, title, columns, rows)


def cues(counts: Counts) -> Table:
    """What the customers showed before a handoff (a handoff counts each cue once)."""
    return _ranked(
        "cues",
        "What upset customers: frustration cues behind handoffs",
        ("Cue", "Handoffs"),
        counts.details(m.CUE),
        cue_label,
    )


def intent_label(intent: str) -> str:
    """'Where an order is' for check_delivery (config/topics.yml), 'Complaint' for complain
    (contract/labels.py), else the name in words."""
    label = load_topics().labels.get(intent)
    return label[0].upper() + label[1:] if label else plain_intent(intent)


def rose_intents(counts: Counts) -> Table:
    """Which requests the customer's frustration level rose on."""
    return _ranked(
        "rose_intents",
        "Where frustration rose: what the customer was asking",
        ("Customer asked about", "Turns where frustration rose"),
        counts.details(m.ROSE_INTENT),
        intent_label,
    )


def rose_flows(counts: Counts) -> Table:
    """Which routine flows the customer's frustration level rose in."""
    return _ranked(
        "rose_flows",
        "Where frustration rose: flow the conversation was in",
        ("Flow", "Turns where frustration rose"),
        counts.details(m.ROSE_FLOW),
        flow_label,
    )


def fallbacks(counts: Counts) -> Table:
    """Messages the assistant did not understand (or could not help with), per day."""
    at = _at(counts)
    columns, rows, total = _daily(
        counts, ("Messages not understood",), lambda d: (at(d, m.FALLBACKS, ""),)
    )
    return Table("fallbacks", "Misunderstandings (fallbacks)", columns, rows, total=total)


def misunderstood(counts: Counts) -> Table:
    """Per day, the share of the messages the assistant answered that it misread."""
    at = _at(counts)

    def row(day: date | None) -> tuple[Cell, ...]:
        answered, missed = at(day, m.ANSWERED, ""), at(day, m.MISUNDERSTOOD, "")
        return answered, missed, percent(missed, answered)

    columns, rows, total = _daily(
        counts, ("Messages answered", "Misunderstood", "Misunderstood (%)"), row
    )
    return Table(
        "misunderstood",
        "Share of messages misunderstood",
        columns,
        rows,
        "Misunderstood: the message fell back, the customer had to pick what they meant, said "
        "the answer did not help, or was handed to a person right after. Each one waits on the "
        "desk's Review page to become training data. Messages to a person are not counted.",
        total,
    )


def fallback_examples(counts: Counts, zone: ZoneInfo) -> Table:
    """The latest misunderstood messages, so a bot builder can add training examples."""
    rows: list[tuple[Cell, ...]] = [
        (
            datetime.fromtimestamp(float(e["ts"]), tz=timezone.utc)
            .astimezone(zone)
            .strftime("%Y-%m-%d %H:%M"),
            channel_label(str(e.get("channel", ""))),
            str(e.get("text", "")),
        )
        for e in counts.examples
    ]
    return Table(
        "fallback_examples", "Latest messages not understood", ("Time", "Channel", "Message"), rows
    )


def response_times(counts: Counts) -> Table:
    """How fast people took over: claims, first replies, tickets left unclaimed, after hours."""
    at = _at(counts)

    def row(day: date | None) -> tuple[Cell, ...]:
        opened = sum(at(day, m.HANDOFFS, reason) for reason in counts.details(m.HANDOFFS))
        claimed, replied = at(day, m.CLAIMED, ""), at(day, m.REPLIED, "")
        return (
            opened,
            claimed,
            opened - claimed,
            mean(at(day, m.CLAIM_SECONDS, ""), claimed),
            mean(at(day, m.REPLY_SECONDS, ""), replied),
            at(day, m.UNCLAIMED_NOTICES, ""),
            at(day, m.HANDOFFS_AFTER_HOURS, ""),
            at(day, m.CONVERSATIONS_AFTER_HOURS, ""),
        )

    columns, rows, total = _daily(
        counts,
        (
            "Handoffs",
            "Claimed",
            "Not claimed",
            "Mean time to claim (s)",
            "Mean time to first reply (s)",
            "Told nobody had claimed yet",
            "Handoffs after hours",
            "Conversations after hours",
        ),
        row,
    )
    return Table(
        "response_times",
        "Time to a person, unclaimed tickets and after-hours volume",
        columns,
        rows,
        "Times run from the handoff; a ticket counts on the day it was opened.",
        total,
    )


def claim_times(counts: Counts) -> Table:
    """How long customers waited for a claim, in bands."""
    found = counts.details(m.CLAIM_BUCKET)
    bands = [label for _, label in m.CLAIM_BUCKETS] + [m.LAST_CLAIM_BUCKET]
    rows: list[tuple[Cell, ...]] = [(band, found[band]) for band in bands]
    return Table("claim_times", "Time from handoff to claim", ("Waited", "Tickets"), rows)


def outcomes(counts: Counts) -> Table:
    """Routine requests the assistant completed, per day."""
    at = _at(counts)

    def row(day: date | None) -> tuple[Cell, ...]:
        return tuple(at(day, m.OUTCOME, kind) for kind in OUTCOME_COLUMNS)

    columns, rows, total = _daily(counts, tuple(OUTCOME_COLUMNS.values()), row)
    return Table("outcomes", "Routine outcomes", columns, rows, total=total)


def satisfaction(counts: Counts) -> Table:
    """CSAT: ratings resolved by the assistant vs handled by a person, per trigger, per agent."""
    ratings = counts.details(m.CSAT_RATINGS)
    sums = counts.details(m.CSAT_SCORE_SUM)
    satisfied = counts.details(m.CSAT_SATISFIED)
    groups: dict[str, list[str]] = {}

    def add(label: str, detail: str) -> None:
        groups.setdefault(label, []).append(detail)

    for detail in sorted(ratings):
        handled, _, rest = detail.partition(":")
        trigger, _, agent = rest.partition(":")
        add(
            "Resolved by the assistant"
            if handled == m.ASSISTANT_RESOLVED
            else "Handled by a person",
            detail,
        )
        add(f"Asked when: {TRIGGER_LABELS.get(trigger, trigger)}", detail)
        if agent:
            add(f"Agent: {agent}", detail)

    def row(label: str, details: list[str]) -> tuple[Cell, ...]:
        n = sum(ratings[d] for d in details)
        return (
            label,
            n,
            mean(sum(sums[d] for d in details), n),
            percent(sum(satisfied[d] for d in details), n),
        )

    order = ["Resolved by the assistant", "Handled by a person"]
    labels = [g for g in order if g in groups] + sorted(g for g in groups if g not in order)
    everything = list(ratings)
    return Table(
        "satisfaction",
        "Satisfaction (CSAT): ratings at the end of a conversation",
        ("Conversations", "Ratings", "Average score", "Satisfied (%)"),
        [row(label, groups[label]) for label in labels],
        "Asked once per conversation on goodbye, thanks, hand-back or close (config/csat.yml); "
        "satisfied: the top scores of the scale. Handled by a person: a person handed back or "
        "closed it.",
        row("All ratings", everything) if everything else None,
        "No ratings in this period.",
    )


def all_tables(counts: Counts, zone: ZoneInfo) -> list[Table]:
    """Every table, in the order the page and the report show them."""
    return [
        containment(counts),
        handoffs(counts),
        precision(counts),
        cues(counts),
        rose_intents(counts),
        rose_flows(counts),
        fallbacks(counts),
        misunderstood(counts),
        fallback_examples(counts, zone),
        response_times(counts),
        claim_times(counts),
        outcomes(counts),
        satisfaction(counts),
    ]
