"""config/desk.yml (or DESK_CONFIG): the only code that reads it; and where handoffs go
(HANDOFF_TARGET: the built-in desk or Chatwoot, with Chatwoot's address and secrets).

The queue, staffed-hours and handoff-limit parts are checked here: the action server needs them
to tell a customer their queue position or when a person will reply; the agent desk needs them
for the same wait figures and the unclaimed-ticket notice. The `desk` part is the agent desk's
own, handed to it unchecked (`read_desk_file`) so the file is still read in this one place.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from settings.env import Env, SettingsError
from settings.yaml_file import ConfigError, Section, read_yaml
from tickets.rate_limit import HandoffLimits

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "config" / "desk.yml"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WINDOW = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")

# A window's end; "24:00" is the end of the day, which datetime.time cannot hold.
END_OF_DAY = time.max
Window = tuple[time, time]


@dataclass(frozen=True)
class StaffedHours:
    """When agents answer: windows per weekday (0 = Monday) in one time zone."""

    timezone: ZoneInfo
    windows: Mapping[int, tuple[Window, ...]]
    reply_within_minutes_of_opening: int


@dataclass(frozen=True)
class QueueConfig:
    """The figures behind queue order and the customer's wait estimate."""

    average_handling_minutes: float
    agents_on_duty: int
    frustration_head_start_minutes: float


@dataclass(frozen=True)
class TicketConfig:
    """Everything about tickets that both the action server and the desk read."""

    hours: StaffedHours
    queue: QueueConfig
    handoff_limits: HandoffLimits
    # An available agent stops counting after this long without activity at the desk.
    idle_timeout_s: float = 900.0


def _clock(hours: str, minutes: str, text: str, path: Path) -> time:
    h, m = int(hours), int(minutes)
    if (h, m) == (24, 0):
        return END_OF_DAY
    if h > 23 or m > 59:
        raise ConfigError(f"{path}: '{text}' is not a valid time window")
    return time(h, m)


def parse_window(text: Any, path: Path) -> Window:
    """'09:00-17:30' -> (09:00, 17:30)."""
    match = _WINDOW.match(str(text).strip())
    if not match:
        raise ConfigError(f"{path}: staffed window must look like 09:00-17:30, got {text!r}")
    start = _clock(match[1], match[2], str(text), path)
    end = _clock(match[3], match[4], str(text), path)
    if start >= end:
        raise ConfigError(f"{path}: staffed window {text!r} ends before it starts")
    return start, end


def parse_hours(raw: Section) -> StaffedHours:
    """The staffed_hours section."""
    zone_name = raw.text("timezone")
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise raw.error(raw.name("timezone"), f"is not a known time zone: {zone_name!r}") from exc
    days = raw.section("days")
    windows: dict[int, tuple[Window, ...]] = {}
    for day in days.keys():
        if day not in WEEKDAYS:
            raise days.error(days.name(day), f"is not a weekday (use {', '.join(WEEKDAYS)})")
        value = days.get(day)
        texts: list[Any] = value if isinstance(value, list) else [value]
        windows[WEEKDAYS.index(day)] = tuple(sorted(parse_window(t, raw.path) for t in texts))
    if not any(windows.values()):
        raise raw.error(raw.name("days"), "needs at least one window in the week")
    hours = StaffedHours(
        timezone=zone,
        windows=windows,
        reply_within_minutes_of_opening=raw.integer("reply_within_minutes_of_opening", 0),
    )
    raw.finish()
    return hours


def _networks(section: Section, key: str) -> tuple[IPv4Network | IPv6Network, ...]:
    """Addresses or networks ("127.0.0.1", "10.0.0.0/8"); a wrong one fails naming the key."""
    found = []
    for text in section.texts(key) if section.get(key) != [] else ():
        try:
            found.append(ip_network(text, strict=False))
        except ValueError as exc:
            raise section.error(section.name(key), f"is not an address: {text!r}") from exc
    return tuple(found)


def parse_ticket_config(raw: Any, path: Path) -> TicketConfig:
    """Checks the parsed YAML; a wrong file fails at start-up naming the bad key."""
    root = Section(raw, "", path)
    queue = root.section("queue")
    limits = root.section("handoff_limits")
    availability = root.section("availability")
    config = TicketConfig(
        idle_timeout_s=availability.number("idle_minutes", 0.5) * 60,
        hours=parse_hours(root.section("staffed_hours")),
        queue=QueueConfig(
            average_handling_minutes=queue.number("average_handling_minutes", 0.1),
            agents_on_duty=queue.integer("agents_on_duty", 1),
            frustration_head_start_minutes=queue.number("frustration_head_start_minutes", 0.0),
        ),
        handoff_limits=HandoffLimits(
            per_conversation=limits.rate_limit("per_conversation"),
            per_address=limits.rate_limit("per_address"),
            unlimited_addresses=_networks(limits, "unlimited_addresses")
            + Env().networks("RATE_LIMIT_EXEMPT_ADDRESSES"),
        ),
    )
    queue.finish()
    limits.finish()
    availability.finish()
    return config


@dataclass(frozen=True)
class DeskFile:
    """The whole file as the agent desk reads it: the ticket part checked, and the `desk`
    section for agent_desk/settings.py to check (it calls `finish()` on it)."""

    tickets: TicketConfig
    desk: Section


def read_desk_file(path: Path) -> DeskFile:
    """Reads and checks the file's ticket part; a missing `desk` section fails here."""
    raw = read_yaml(path)
    desk = Section(raw, "", path).section("desk")
    return DeskFile(tickets=parse_ticket_config(raw, path), desk=desk)


def config_path(env: Env | None = None) -> Path:
    """DESK_CONFIG or config/desk.yml."""
    return (env or Env()).path("DESK_CONFIG", DEFAULT_PATH)


@lru_cache(maxsize=1)
def load_ticket_config() -> TicketConfig:
    """Read once per process."""
    path = config_path()
    return parse_ticket_config(read_yaml(path), path)


DESK = "desk"
CHATWOOT = "chatwoot"
HANDOFF_TARGETS = (DESK, CHATWOOT)


@dataclass(frozen=True)
class ChatwootAccount:
    """Where handoffs go when HANDOFF_TARGET=chatwoot (README: Chatwoot instead of the desk)."""

    url: str
    account_id: int
    inbox_id: int
    api_token: str
    timeout_s: float


def handoff_target(environ: Mapping[str, str] | None = None) -> str:
    """HANDOFF_TARGET: `desk` (default) or `chatwoot`."""
    return Env(environ).choice("HANDOFF_TARGET", DESK, HANDOFF_TARGETS)


def _required_id(env: Env, name: str) -> int:
    if not env.text(name).strip():
        raise SettingsError(f"{name} is not set: HANDOFF_TARGET=chatwoot needs it (README)")
    return env.integer(name, 0, minimum=1)


def load_chatwoot_account(environ: Mapping[str, str] | None = None) -> ChatwootAccount | None:
    """Chatwoot's address, account, API inbox and access token; None for the built-in desk.

    Read by the action server, which opens the Chatwoot conversations. A missing value stops
    start-up with a message naming it.
    """
    env = Env(environ)
    if handoff_target(environ) != CHATWOOT:
        return None
    url = env.text("CHATWOOT_URL").strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(
            f"CHATWOOT_URL must be Chatwoot's address like https://chat.example.com, got {url!r}"
        )
    return ChatwootAccount(
        url=url,
        account_id=_required_id(env, "CHATWOOT_ACCOUNT_ID"),
        inbox_id=_required_id(env, "CHATWOOT_INBOX_ID"),
        api_token=env.secret(
            "CHATWOOT_API_TOKEN",
            "HANDOFF_TARGET=chatwoot needs an access token to open conversations (README)",
        ),
        timeout_s=env.number("CHATWOOT_TIMEOUT", 5.0, minimum=0.1),
    )


def load_chatwoot_webhook_secret(environ: Mapping[str, str] | None = None) -> str:
    """The secret in the webhook URL Chatwoot calls (agent desk); "" for the built-in desk."""
    env = Env(environ)
    if handoff_target(environ) != CHATWOOT:
        return ""
    secret = env.secret(
        "CHATWOOT_WEBHOOK_SECRET",
        "HANDOFF_TARGET=chatwoot needs it: Chatwoot's webhook URL carries it (README)",
    )
    if len(secret) < 16:
        raise SettingsError("CHATWOOT_WEBHOOK_SECRET must be at least 16 characters")
    return secret
