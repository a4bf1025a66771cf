"""`make report` (python -m analytics.report): the analytics page's figures in the terminal, and
its charts as PNG files.

The same tables and charts as the desk's /analytics page, from the same Redis counters, so the
two never disagree. `--language ko` words them in Korean, from the desk's catalog
(agent_desk/translations), as a Korean agent sees the page.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import redis

from agent_desk.i18n import DESK_LANGUAGES, translations
from agent_desk.i18n import ENGLISH as ENGLISH_CODE
from analytics.charts import CHARTS, chart
from analytics.counts import DEFAULT_DAYS, Period, read_counts
from analytics.figures import all_tables
from analytics.headlines import headlines, headlines_text
from analytics.tables import Table
from analytics.wording import ENGLISH, Words
from contract.labels import channel_label
from settings.env import PROJECT_ROOT, Env
from tickets.settings import load_ticket_config
from tickets.store import connect


def tables_for(
    client: redis.Redis, period: Period, zone: ZoneInfo, _: Words = ENGLISH
) -> list[Table]:
    """Every table of the period, as the page and the report show them."""
    return all_tables(read_counts(client, period), zone, _)


def write_charts(tables: list[Table], out: Path, _: Words = ENGLISH) -> list[Path]:
    """Each chart as `<name>.png` in `out` (`tables` built with the same `_`); returns the
    files written."""
    out.mkdir(parents=True, exist_ok=True)
    by_slug = {t.slug: t for t in tables}
    written = []
    for name in CHARTS:
        path = out / f"{name}.png"
        path.write_bytes(chart(name, by_slug, "png", _))
        written.append(path)
    return written


def _parser(env: Env) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analytics.report", description=__doc__)
    parser.add_argument("--from", dest="start", type=date.fromisoformat, help="first day (ISO)")
    parser.add_argument("--to", dest="end", type=date.fromisoformat, help="last day (ISO)")
    parser.add_argument(
        "--days",
        type=int,
        default=DEFAULT_DAYS,
        help=f"without --from: this many days (default {DEFAULT_DAYS}, as the /analytics page)",
    )
    parser.add_argument("--channel", help="one channel (e.g. socketio, rest); default: all")
    parser.add_argument(
        "--out",
        type=Path,
        default=env.path("VAR_DIR", PROJECT_ROOT / "var") / "report",
        help="where the PNG charts go (default: $VAR_DIR/report)",
    )
    parser.add_argument(
        "--language",
        choices=tuple(DESK_LANGUAGES),
        default=ENGLISH_CODE,
        help="the figures' words: en (default) or ko, as the desk shows them to an agent",
    )
    parser.add_argument(
        "--redis-url", default=env.redis_url(), help="default: REDIS_URL, else the embedded Redis"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Prints every table of the period and writes the charts."""
    args = _parser(Env()).parse_args(argv)
    zone = load_ticket_config().hours.timezone
    end = args.end or datetime.now(timezone.utc).astimezone(zone).date()
    start = args.start or end - timedelta(days=max(1, args.days) - 1)
    try:
        period = Period(start, end, args.channel)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    client = connect(args.redis_url)
    try:
        counts = read_counts(client, period)
    except redis.RedisError as error:
        print(f"error: Redis at {args.redis_url} does not answer: {error}", file=sys.stderr)
        return 1
    _ = Words(args.language, translations(args.language).gettext)
    where = _(channel_label(args.channel)) if args.channel else _("every channel")
    print(
        _("Analytics %(start)s to %(end)s, %(where)s")
        % {"start": start, "end": end, "where": where}
    )
    print()
    print(headlines_text(headlines(counts, _)) + "\n")
    tables = all_tables(counts, zone, _)
    for table in tables:
        print(table.text() + "\n")
    for path in write_charts(tables, args.out, _):
        print(f"chart: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
