"""How tickets, times and conversations look to agents (template filters and JSON shapes), in
the signed-in agent's language (agent_desk/i18n.py; English outside a request)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

from agent_desk.i18n import KOREAN, desk_language, gettext, label
from contract.labels import can_receive_pushed_replies, channel_label, cue_label
from contract.privacy import mask_for_desk
from contract.slots import LEVELS
from tickets.model import Ticket
from tickets.summary import wanted
from tickets.transcript import NOTE

SHORT_ID_CHARS = 8
KOREAN_WEEKDAYS = "월화수목금토일"


def waited(seconds: float) -> str:
    """'45 s', '12 min', '3 h 05 min', '2 d 4 h' (in Korean '45초', '12분', '3시간 05분')."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return gettext("%(seconds)s s") % {"seconds": seconds}
    minutes = seconds // 60
    if minutes < 60:
        return gettext("%(minutes)s min") % {"minutes": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return gettext("%(hours)s h %(minutes)s min") % {
            "hours": hours,
            "minutes": f"{minutes:02d}",
        }
    days, hours = divmod(hours, 24)
    return gettext("%(days)s d %(hours)s h") % {"days": days, "hours": hours}


def _clock(local: datetime, time_format: str, seconds: bool) -> str:
    """'22:12:44' or '10:12:44 PM' (static/clock.js draws the same in the browser)."""
    if time_format == "12h":
        hour = local.hour % 12 or 12
        rest = f"{local:%M:%S}" if seconds else f"{local:%M}"
        return f"{hour:02d}:{rest} {'AM' if local.hour < 12 else 'PM'}"
    return local.strftime("%H:%M:%S" if seconds else "%H:%M")


def clock_time(ts: float | None, zone: ZoneInfo, time_format: str = "24h") -> str:
    """'14:03:09' in the desk's time zone and time format ('' for no time)."""
    if not ts:
        return ""
    local = datetime.fromtimestamp(ts, tz=timezone.utc).astimezone(zone)
    return _clock(local, time_format, seconds=True)


def date_time(ts: float | None, zone: ZoneInfo, time_format: str = "24h") -> str:
    """'Mon 24 Nov 14:03' (or '02:03 PM')."""
    if not ts:
        return ""
    local = datetime.fromtimestamp(ts, tz=timezone.utc).astimezone(zone)
    if desk_language() == KOREAN:  # '11월 24일 (월) 14:03', the order Korean dates are read in
        weekday = KOREAN_WEEKDAYS[local.weekday()]
        day = f"{local.month}월 {local.day}일 ({weekday})"
    else:
        day = local.strftime("%a %d %b").replace(" 0", " ", 1)
    return f"{day} {_clock(local, time_format, seconds=False)}"


def customer_label(ticket: Ticket) -> str:
    """Who the customer is in words: their verified email (never one merely typed), else their
    order, else a short visitor id (a widget's 32-character session id means nothing to an
    agent)."""
    if ticket.customer.get("email"):
        return ticket.customer["email"]
    if ticket.customer.get("order_number"):
        return gettext("Customer of order %(order)s") % {"order": ticket.customer["order_number"]}
    sender = ticket.customer.get("sender_id") or ticket.conversation_id
    if len(sender) <= SHORT_ID_CHARS * 2:
        return sender
    return gettext("Visitor %(visitor)s") % {"visitor": sender[:SHORT_ID_CHARS]}


def fitting_level(current: str, offered: list[str]) -> str:
    """The hand-back level to preselect: the customer's own, or the nearest milder one offered."""
    rank = {level: i for i, level in enumerate(LEVELS)}
    milder = [level for level in offered if rank.get(level, 0) <= rank.get(current, 0)]
    return max(milder, key=lambda level: rank.get(level, 0)) if milder else offered[0]


def queue_row(ticket: Ticket, now: float, position: int | None) -> dict[str, Any]:
    """One queue line as the page's script renders it."""
    return {
        "reference": ticket.reference,
        "customer": customer_label(ticket),
        "channel": label(channel_label(ticket.channel)),
        "can_push": can_receive_pushed_replies(ticket.channel),
        "reason": ticket.reason,
        "reason_label": label(ticket.reason_label),
        "level": ticket.level,
        "level_label": label(ticket.level),
        "frustration": round(ticket.frustration, 2),
        "waited": waited(now - ticket.created_at),
        "created_at": ticket.created_at,
        "status": ticket.status,
        "holder": ticket.holder,
        "holder_name": ticket.holder_name,
        "transferred_from": ticket.transferred_from,
        "transfer_note": ticket.transfer_note,
        "position": position,
        "wants": wanted(ticket.summary),
        "order_number": ticket.customer.get("order_number", ""),
    }


def transcript_rows(
    entries: list[dict[str, Any]], zone: ZoneInfo, time_format: str = "24h"
) -> list[dict[str, Any]]:
    """Transcript entries with a display time, personal data the agent does not need hidden
    (contract.privacy.mask_for_desk: phone numbers and addresses go, the email stays); the
    transcript's own notes (handed over, handed back) in the agent's language."""
    return [
        {
            **entry,
            "text": label(str(entry.get("text") or ""))
            if entry.get("who") == NOTE
            else mask_for_desk(str(entry.get("text") or "")),
            "time": clock_time(entry.get("ts"), zone, time_format),
        }
        for entry in entries
    ]


def masked_turns(turns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The sentiment series, whose points quote each message, masked the same way; each
    point's cues also in words, in the agent's language (`reason_labels`, for the chart)."""
    return [
        {
            **turn,
            "text": mask_for_desk(str(turn.get("text") or "")),
            "reason_labels": [label(cue_label(str(r))) for r in turn.get("reasons") or []],
        }
        for turn in turns
    ]


def masked_summary(lines: list[str]) -> list[str]:
    """The ticket's summary, which quotes the customer, masked the same way."""
    return [mask_for_desk(line) for line in lines]
