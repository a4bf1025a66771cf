"""/analytics: the figures over a chosen date range and channel, charts, CSV per table.

Only agents whose role is in `analytics_roles` (config/agents.yml) may open it. Everything is
read from the day counters (analytics/), so a page costs a few Redis round trips however many
conversations there were.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from functools import wraps
from typing import Any, TypeVar, cast

import redis
from flask import Blueprint, Response, current_app, g, render_template, request

from agent_desk.accounts import Accounts
from agent_desk.i18n import N_, desk_words
from agent_desk.i18n import gettext as _
from agent_desk.security import login_required
from analytics.charts import CHARTS, chart
from analytics.counts import DEFAULT_DAYS, MAX_DAYS, Counts, Period, read_counts
from analytics.figures import all_tables
from analytics.headlines import headlines
from analytics.tables import Table, show
from contract.labels import channel_label

bp = Blueprint("analytics", __name__)
F = TypeVar("F", bound=Callable[..., Any])

NOT_ALLOWED = N_("Analytics are open to support leads only. Ask a lead if you need a figure.")


class BadPeriod(ValueError):
    """The chosen dates cannot be shown; the message says why."""


def analytics_role_required(view: F) -> F:
    """Signed in, and a role listed in analytics_roles; others get a 403 page saying so."""

    @login_required
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        accounts: Accounts = current_app.extensions["desk_accounts"]
        if not accounts.may_see_analytics(g.agent):
            return render_template("refused.html", message=_(NOT_ALLOWED)), 403
        return view(*args, **kwargs)

    return cast(F, wrapper)


def _zone() -> Any:
    return current_app.extensions["desk"].settings.tickets.hours.timezone


def _period() -> Period:
    """The period of the query string (?from=&to=&channel=), by default the last DEFAULT_DAYS."""
    today = datetime.now(timezone.utc).astimezone(_zone()).date()
    try:
        end = date.fromisoformat(request.args.get("to") or today.isoformat())
        start = date.fromisoformat(
            request.args.get("from") or (end - timedelta(days=DEFAULT_DAYS - 1)).isoformat()
        )
    except ValueError as error:
        raise BadPeriod(_("Dates are written like 2025-03-14.")) from error
    if end < start:
        raise BadPeriod(_("The period ends before it starts."))
    if (end - start).days >= MAX_DAYS:
        raise BadPeriod(_("Choose at most %(days)s days.") % {"days": MAX_DAYS})
    return Period(start, end, request.args.get("channel") or None)


def _counts(period: Period) -> Counts:
    client: redis.Redis = current_app.extensions["desk_redis"]
    return read_counts(client, period)


def _tables(period: Period) -> list[Table]:
    return all_tables(_counts(period), _zone(), desk_words())


def _query(period: Period) -> dict[str, str]:
    query = {"from": period.start.isoformat(), "to": period.end.isoformat()}
    return {**query, "channel": period.channel} if period.channel else query


@bp.get("/analytics")
@analytics_role_required
def page() -> Any:
    """The headline figures, then each table with its chart (when it has one) and a CSV link."""
    try:
        period = _period()
    except BadPeriod as error:
        return render_template("refused.html", message=str(error)), 400
    counts = _counts(period)
    channels = sorted(counts.channels | ({period.channel} if period.channel else set()))
    return render_template(
        "analytics.html",
        period=period,
        headlines=headlines(counts, desk_words()),
        tables=all_tables(counts, _zone(), desk_words()),
        charts={slug for slug, _ in CHARTS.values()},
        query=_query(period),
        channels=[(c, channel_label(c)) for c in channels],
        show=show,
    )


@bp.get("/analytics/<slug>.csv")
@analytics_role_required
def csv_export(slug: str) -> Any:
    """One table as a CSV download, for the same period and channel as the page."""
    try:
        period = _period()
    except BadPeriod as error:
        return render_template("refused.html", message=str(error)), 400
    table = next((t for t in _tables(period) if t.slug == slug), None)
    if table is None:
        return render_template(
            "refused.html", message=_("There is no table %(name)s.") % {"name": slug}
        ), 404
    name = f"{slug}_{period.start}_{period.end}{'_' + period.channel if period.channel else ''}"
    # UTF-8 with a byte-order mark: without it, spreadsheet programs read the file in the
    # computer's own code page (CP949 on a Korean Windows) and Hangul turns to mojibake.
    return Response(
        "\ufeff" + table.csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


@bp.get("/analytics/charts/<name>.svg")
@analytics_role_required
def chart_svg(name: str) -> Any:
    """One chart as SVG (drawn by matplotlib on the server)."""
    if name not in CHARTS:
        return render_template(
            "refused.html", message=_("There is no chart %(name)s.") % {"name": name}
        ), 404
    try:
        period = _period()
    except BadPeriod as error:
        return render_template("refused.html", message=str(error)), 400
    svg = chart(name, {t.slug: t for t in _tables(period)}, "svg", desk_words())
    return Response(svg, mimetype="image/svg+xml")
