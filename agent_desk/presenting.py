"""How tickets, times and conversations look to agents (template filters and JSON shapes)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

from tickets.model import Ticket


def waited(seconds: float) -> str:
    """'45 s', '12 min', '3 h 05 min', '2 d 4 h'."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes:02d} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"


def clock_time(ts: float | None, zone: ZoneInfo) -> str:
    """'14:03' today's style time in the desk's time zone ('' for no time)."""
    if not ts:
        return ""
    return datetime.fromtimestamp(ts, tz=timezone.utc).astimezone(zone).strftime("%H:%M:%S")


def date_time(ts: float | None, zone: ZoneInfo) -> str:
    """'Mon 24 Nov 14:03'."""
    if not ts:
        return ""
    local = datetime.fromtimestamp(ts, tz=timezone.utc).astimezone(zone)
    return local.strftime("%a %d %b %H:%M").replace(" 0", " ", 1)


def customer_label(ticket: Ticket) -> str:
    """Who the customer is, as precisely as the conversation told us."""
    return (
        ticket.customer.get("email") or ticket.customer.get("sender_id") or ticket.conversation_id
    )


def queue_row(ticket: Ticket, now: float, position: int | None) -> dict[str, Any]:
    """One queue line as the page's script renders it."""
    wants = next((line for line in ticket.summary if line.startswith("Wants:")), "")
    return {
        "reference": ticket.reference,
        "customer": customer_label(ticket),
        "channel": ticket.channel,
        "reason": ticket.reason,
        "reason_label": ticket.reason_label,
        "level": ticket.level,
        "frustration": round(ticket.frustration, 2),
        "waited": waited(now - ticket.created_at),
        "status": ticket.status,
        "holder_name": ticket.holder_name,
        "position": position,
        "wants": wants.removeprefix("Wants: "),
        "order_number": ticket.customer.get("order_number", ""),
    }


def transcript_rows(entries: list[dict[str, Any]], zone: ZoneInfo) -> list[dict[str, Any]]:
    """Transcript entries with a display time."""
    return [{**entry, "time": clock_time(entry.get("ts"), zone)} for entry in entries]
