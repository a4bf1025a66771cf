"""Staffed hours: is someone on duty now, and when is the next person on duty.

A customer handed over at night must not be told "about 6 minutes"; they are told when a
person will reply instead, and the unclaimed-ticket notice waits for the team to be there.
All functions take the moment explicitly, so they are tested without the wall clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from tickets.settings import END_OF_DAY, StaffedHours

# Every window recurs weekly, so a search longer than a week finds nothing new.
_SEARCH_DAYS = 8


def _day_bounds(hours: StaffedHours, day: datetime) -> Iterator[tuple[datetime, datetime]]:
    """(start, end) datetimes of each window on the local date of `day`."""
    for start, end in hours.windows.get(day.weekday(), ()):
        opens = day.replace(hour=start.hour, minute=start.minute, second=0, microsecond=0)
        if end == END_OF_DAY:
            closes = day.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
        else:
            closes = day.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
        yield opens, closes


def is_staffed(hours: StaffedHours, moment: datetime) -> bool:
    """True when `moment` (any time zone) falls inside a staffed window."""
    local = moment.astimezone(hours.timezone)
    return any(opens <= local < closes for opens, closes in _day_bounds(hours, local))


def staffed_from(hours: StaffedHours, moment: datetime) -> datetime:
    """`moment` itself when staffed, otherwise the next opening time (local time zone)."""
    local = moment.astimezone(hours.timezone)
    for offset in range(_SEARCH_DAYS):
        day = local + timedelta(days=offset)
        for opens, closes in _day_bounds(hours, day):
            if opens <= local < closes:
                return local
            if opens >= local:
                return opens
    raise ValueError("staffed_hours has no window in the week")  # config loading prevents it


def reply_by(hours: StaffedHours, moment: datetime) -> datetime:
    """The time promised to a customer handed over outside staffed hours."""
    return staffed_from(hours, moment) + timedelta(minutes=hours.reply_within_minutes_of_opening)


def format_reply_by(hours: StaffedHours, when: datetime, now: datetime | None = None) -> str:
    """'10:00 today', '10:00 tomorrow' or '10:00 on Mon 24 Nov', with the zone's name."""
    local = when.astimezone(hours.timezone)
    today = (now or when).astimezone(hours.timezone).date()
    if local.date() == today:
        day = "today"
    elif local.date() == today + timedelta(days=1):
        day = "tomorrow"
    else:
        day = "on " + local.strftime("%a %d %b").replace(" 0", " ")
    return f"{local:%H:%M} {day} ({hours.timezone.key} time)"
