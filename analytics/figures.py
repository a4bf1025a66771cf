"""The figures a support lead reads, as tables built from the period's counters.

The page, the CSV export and `make report` all show these same tables, so they cannot
disagree. Rates are percentages with one decimal; times are seconds. Each builder takes the
reader's `Words` as `_` (analytics/wording.py): English unless the reader reads another language.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from analytics import recorder as m
from analytics.counts import Counts
from analytics.tables import Cell, Table
from analytics.wording import ENGLISH, N_, Words
from contract.csat import TRIGGER_LABELS
from contract.labels import channel_label, cue_label, flow_label, plain_intent
from contract.topics import load_topics
from tickets.model import REASON_LABELS

OUTCOME_COLUMNS = {
    m.DELIVERY_ANSWERED: N_("Deliveries answered"),
    m.REFUND_STATUS_ANSWERED: N_("Refund statuses answered"),
    m.REFUND_CREATED: N_("Refunds created"),
    m.ORDER_CANCELLED: N_("Orders cancelled"),
}
RESOLVED_BY_ASSISTANT = N_("Resolved by the assistant")
HANDLED_BY_PERSON = N_("Handled by a person")


def percent(part: float, whole: float) -> float | str:
    """Share in percent with one decimal; '-' when there is nothing to divide."""
    return round(100.0 * part / whole, 1) if whole else "-"


def mean(total: float, count: float) -> float | str:
    """Average with one decimal; '-' when nothing was counted."""
    return round(total / count, 1) if count else "-"


def _table(
    _: Words,
    slug: str,
    title: str,
    columns: tuple[str, ...],
    rows: list[tuple[Cell, ...]],
    note: str = "",
    total: tuple[Cell, ...] | None = None,
    empty: str = N_("Nothing in this period."),
) -> Table:
    """A table with its title, columns, note and empty line in the reader's words; the English
    column names stay as its keys."""
    return Table(
        slug,
        _(title),
        tuple(_(c) for c in columns),
        rows,
        _(note) if note else "",
        total,
        _(empty),
        columns,
    )


def _daily(
    counts: Counts,
    columns: tuple[str, ...],
    row: Callable[[date | None], tuple[Cell, ...]],
    _: Words,
) -> tuple[tuple[str, ...], list[tuple[Cell, ...]], tuple[Cell, ...]]:
    """A table with one row per day and a total line (`row(None)` is the total)."""
    rows = [(day.isoformat(), *row(day)) for day in counts.period.days]
    return (N_("Day"), *columns), rows, (_("All days"), *row(None))


def _at(counts: Counts) -> Callable[[date | None, str, str], float]:
    def value(day: date | None, metric: str, detail: str = "") -> float:
        return counts.total(metric, detail) if day is None else counts.day(day, metric, detail)

    return value


def containment(counts: Counts, _: Words = ENGLISH) -> Table:
    """Conversations resolved without a person, per day (by the day they started)."""
    at = _at(counts)

    def row(day: date | None) -> tuple[Cell, ...]:
        started, handed = at(day, m.CONVERSATIONS, ""), at(day, m.HANDED_OVER, "")
        return started, handed, started - handed, percent(started - handed, started)

    columns, rows, total = _daily(
        counts,
        (
            N_("Conversations"),
            N_("Handed to a person"),
            N_("Resolved by the assistant"),
            N_("Containment (%)"),
        ),
        row,
        _,
    )
    return _table(
        _,
        "containment",
        N_("Containment: conversations resolved without a person"),
        columns,
        rows,
        N_("A conversation counts on the day it started; handed over means at least once."),
        total,
    )


def reasons(counts: Counts) -> list[str]:
    """Known handoff reasons first, then any other found in the period."""
    found = set(counts.details(m.HANDOFFS))
    return list(REASON_LABELS) + sorted(found - set(REASON_LABELS))


def reason_label(reason: str, _: Words = ENGLISH) -> str:
    """'Customer asked for a person' for a reason (tickets/model.py), in the reader's words."""
    return _(REASON_LABELS.get(reason, reason))


def handoffs(counts: Counts, _: Words = ENGLISH) -> Table:
    """Handoffs per day by what triggered them."""
    at, names = _at(counts), reasons(counts)

    def row(day: date | None) -> tuple[Cell, ...]:
        cells = [at(day, m.HANDOFFS, reason) for reason in names]
        return (*cells, sum(cells))

    labels = tuple(REASON_LABELS.get(r, r) for r in names)
    columns, rows, total = _daily(counts, (*labels, N_("All handoffs")), row, _)
    return _table(_, "handoffs", N_("Handoffs by reason"), columns, rows, total=total)


def precision(counts: Counts, _: Words = ENGLISH) -> Table:
    """Per trigger: of the handoffs agents judged, the share that needed a person."""
    opened, judged = counts.details(m.HANDOFFS), counts.details(m.JUDGED)
    rows: list[tuple[Cell, ...]] = []
    for reason in reasons(counts):
        needed, not_needed = judged[f"{reason}:needed"], judged[f"{reason}:not_needed"]
        rows.append(
            (
                reason_label(reason, _),
                opened[reason],
                needed + not_needed,
                needed,
                not_needed,
                percent(needed, needed + not_needed),
            )
        )
    n = [sum(float(r[i]) for r in rows) for i in range(1, 5)]
    return _table(
        _,
        "precision",
        N_("Precision per trigger (agents' judgements)"),
        (
            N_("Trigger"),
            N_("Handoffs"),
            N_("Judged"),
            N_("Needed"),
            N_("Not needed"),
            N_("Precision (%)"),
        ),
        rows,
        N_(
            "Precision = needed / judged. A low figure means the trigger fires when nobody was "
            "needed: raise its threshold in config/handoff.yml."
        ),
        (_("All triggers"), *n, percent(n[2], n[1])),
    )


def _ranked(
    _: Words,
    slug: str,
    title: str,
    columns: tuple[str, str],
    found: dict[str, float],
    label: Callable[[str], str],
) -> Table:
    rows: list[tuple[Cell, ...]] = [
        (label(name), n) for name, n in sorted(found.items(), key=lambda i: (-i[1], i[0])) if n
    ]
    return _table(_, slug, title, columns, rows)


def cues(counts: Counts, _: Words = ENGLISH) -> Table:
    """What the customers showed before a handoff (a handoff counts each cue once)."""
    return _ranked(
        _,
        "cues",
        N_("What upset customers: frustration cues behind handoffs"),
        (N_("Cue"), N_("Handoffs")),
        counts.details(m.CUE),
        lambda cue: _(cue_label(cue)),
    )


def intent_label(intent: str, _: Words = ENGLISH) -> str:
    """'Where an order is' for check_delivery (config/topics.yml, `label_ko` in Korean),
    'Complaint' for complain (contract/labels.py, through the reader's catalog), else the name
    in words."""
    label = load_topics().label(intent, _.language)
    return label[0].upper() + label[1:] if label else _(plain_intent(intent))


def rose_intents(counts: Counts, _: Words = ENGLISH) -> Table:
    """Which requests the customer's frustration level rose on."""
    return _ranked(
        _,
        "rose_intents",
        N_("Where frustration rose: what the customer was asking"),
        (N_("Customer asked about"), N_("Turns where frustration rose")),
        counts.details(m.ROSE_INTENT),
        lambda intent: intent_label(intent, _),
    )


def rose_flows(counts: Counts, _: Words = ENGLISH) -> Table:
    """Which routine flows the customer's frustration level rose in."""
    return _ranked(
        _,
        "rose_flows",
        N_("Where frustration rose: flow the conversation was in"),
        (N_("Flow"), N_("Turns where frustration rose")),
        counts.details(m.ROSE_FLOW),
        lambda flow: _(flow_label(flow)),
    )


def fallbacks(counts: Counts, _: Words = ENGLISH) -> Table:
    """Messages the assistant did not understand (or could not help with), per day."""
    at = _at(counts)
    columns, rows, total = _daily(
        counts, (N_("Messages not understood"),), lambda d: (at(d, m.FALLBACKS, ""),), _
    )
    title = N_("Misunderstandings (fallbacks)")
    return _table(_, "fallbacks", title, columns, rows, total=total)


def misunderstood(counts: Counts, _: Words = ENGLISH) -> Table:
    """Per day, the share of the messages the assistant answered that it misread."""
    at = _at(counts)

    def row(day: date | None) -> tuple[Cell, ...]:
        answered, missed = at(day, m.ANSWERED, ""), at(day, m.MISUNDERSTOOD, "")
        return answered, missed, percent(missed, answered)

    columns, rows, total = _daily(
        counts, (N_("Messages answered"), N_("Misunderstood"), N_("Misunderstood (%)")), row, _
    )
    return _table(
        _,
        "misunderstood",
        N_("Share of messages misunderstood"),
        columns,
        rows,
        N_(
            "Misunderstood: the message fell back, the customer had to pick what they meant, "
            "said the answer did not help, or was handed to a person right after. Each one waits "
            "on the desk's Review page to become training data. Messages to a person are not "
            "counted."
        ),
        total,
    )


def fallback_examples(counts: Counts, zone: ZoneInfo, _: Words = ENGLISH) -> Table:
    """The latest misunderstood messages, so a bot builder can add training examples."""
    rows: list[tuple[Cell, ...]] = [
        (
            datetime.fromtimestamp(float(e["ts"]), tz=timezone.utc)
            .astimezone(zone)
            .strftime("%Y-%m-%d %H:%M"),
            _(channel_label(str(e.get("channel", "")))),
            str(e.get("text", "")),
        )
        for e in counts.examples
    ]
    return _table(
        _,
        "fallback_examples",
        N_("Latest messages not understood"),
        (N_("Time"), N_("Channel"), N_("Message")),
        rows,
    )


def response_times(counts: Counts, _: Words = ENGLISH) -> Table:
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
            N_("Handoffs"),
            N_("Claimed"),
            N_("Not claimed"),
            N_("Mean time to claim (s)"),
            N_("Mean time to first reply (s)"),
            N_("Told nobody had claimed yet"),
            N_("Handoffs after hours"),
            N_("Conversations after hours"),
        ),
        row,
        _,
    )
    return _table(
        _,
        "response_times",
        N_("Time to a person, unclaimed tickets and after-hours volume"),
        columns,
        rows,
        N_("Times run from the handoff; a ticket counts on the day it was opened."),
        total,
    )


def claim_times(counts: Counts, _: Words = ENGLISH) -> Table:
    """How long customers waited for a claim, in bands."""
    found = counts.details(m.CLAIM_BUCKET)
    bands = [band for _limit, band in m.CLAIM_BUCKETS] + [m.LAST_CLAIM_BUCKET]
    rows: list[tuple[Cell, ...]] = [(_(band), found[band]) for band in bands]
    title = N_("Time from handoff to claim")
    return _table(_, "claim_times", title, (N_("Waited"), N_("Tickets")), rows)


def outcomes(counts: Counts, _: Words = ENGLISH) -> Table:
    """Routine requests the assistant completed, per day."""
    at = _at(counts)

    def row(day: date | None) -> tuple[Cell, ...]:
        return tuple(at(day, m.OUTCOME, kind) for kind in OUTCOME_COLUMNS)

    columns, rows, total = _daily(counts, tuple(OUTCOME_COLUMNS.values()), row, _)
    return _table(_, "outcomes", N_("Routine outcomes"), columns, rows, total=total)


def satisfaction(counts: Counts, _: Words = ENGLISH) -> Table:
    """CSAT: ratings resolved by the assistant vs handled by a person, per trigger, per agent."""
    ratings = counts.details(m.CSAT_RATINGS)
    sums = counts.details(m.CSAT_SCORE_SUM)
    satisfied = counts.details(m.CSAT_SATISFIED)
    groups: dict[str, list[str]] = {}

    def add(label: str, detail: str) -> None:
        groups.setdefault(label, []).append(detail)

    for detail in sorted(ratings):
        handled, _colon, rest = detail.partition(":")
        trigger, _colon, agent = rest.partition(":")
        add(
            _(RESOLVED_BY_ASSISTANT) if handled == m.ASSISTANT_RESOLVED else _(HANDLED_BY_PERSON),
            detail,
        )
        when = _(TRIGGER_LABELS.get(trigger, trigger))
        add(_("Asked when: %(trigger)s") % {"trigger": when}, detail)
        if agent:
            add(_("Agent: %(agent)s") % {"agent": agent}, detail)

    def row(label: str, details: list[str]) -> tuple[Cell, ...]:
        n = sum(ratings[d] for d in details)
        return (
            label,
            n,
            mean(sum(sums[d] for d in details), n),
            percent(sum(satisfied[d] for d in details), n),
        )

    order = [_(RESOLVED_BY_ASSISTANT), _(HANDLED_BY_PERSON)]
    labels = [g for g in order if g in groups] + sorted(g for g in groups if g not in order)
    everything = list(ratings)
    return _table(
        _,
        "satisfaction",
        N_("Satisfaction (CSAT): ratings at the end of a conversation"),
        (N_("Conversations"), N_("Ratings"), N_("Average score"), N_("Satisfied (%)")),
        [row(label, groups[label]) for label in labels],
        N_(
            "Asked once per conversation on goodbye, thanks, hand-back or close "
            "(config/csat.yml); satisfied: the top scores of the scale. Handled by a person: a "
            "person handed back or closed it."
        ),
        row(_("All ratings"), everything) if everything else None,
        N_("No ratings in this period."),
    )


def all_tables(counts: Counts, zone: ZoneInfo, _: Words = ENGLISH) -> list[Table]:
    """Every table, in the order the page and the report show them, in the reader's words."""
    return [
        containment(counts, _),
        handoffs(counts, _),
        precision(counts, _),
        cues(counts, _),
        rose_intents(counts, _),
        rose_flows(counts, _),
        fallbacks(counts, _),
        misunderstood(counts, _),
        fallback_examples(counts, zone, _),
        response_times(counts, _),
        claim_times(counts, _),
        outcomes(counts, _),
        satisfaction(counts, _),
    ]
