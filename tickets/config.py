"""The queue and staffed-hours part of config/desk.yml, loaded and checked once per process.

The action server needs it to tell a customer their queue position or when a person will
reply; the agent desk needs it for the same wait figures and the unclaimed-ticket notice.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import time
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Mapping, Tuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "config" / "desk.yml"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WINDOW = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")

# A window's end; "24:00" is the end of the day, which datetime.time cannot hold.
END_OF_DAY = time.max
Window = Tuple[time, time]


class ConfigError(ValueError):
    """config/desk.yml is wrong; the message names the file and the key."""


@dataclass(frozen=True)
class StaffedHours:
    """When agents answer: windows per weekday (0 = Monday) in one time zone."""

    timezone: ZoneInfo
    windows: Mapping[int, Tuple[Window, ...]]
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


def section(raw: Any, key: str, path: Path) -> Dict[str, Any]:
    """A mapping under `key` of the top-level mapping, or ConfigError."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    value = raw.get(key)
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: '{key}' must be a mapping")
    return value


def number(raw: Mapping[str, Any], key: str, path: Path, minimum: float = 0.0) -> float:
    """A number >= minimum under `key` (booleans are not numbers here)."""
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < minimum:
        raise ConfigError(f"{path}: '{key}' must be a number >= {minimum}, got {value!r}")
    return float(value)


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


def parse_hours(raw: Dict[str, Any], path: Path) -> StaffedHours:
    """The staffed_hours section."""
    try:
        zone = ZoneInfo(str(raw.get("timezone")))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"{path}: unknown timezone {raw.get('timezone')!r}") from exc
    days = raw.get("days")
    if not isinstance(days, dict):
        raise ConfigError(f"{path}: 'staffed_hours.days' must be a mapping of weekdays")
    windows: Dict[int, Tuple[Window, ...]] = {}
    for day, value in days.items():
        if day not in WEEKDAYS:
            raise ConfigError(f"{path}: unknown weekday {day!r} (use {', '.join(WEEKDAYS)})")
        texts: List[Any] = value if isinstance(value, list) else [value]
        windows[WEEKDAYS.index(day)] = tuple(sorted(parse_window(t, path) for t in texts))
    if not any(windows.values()):
        raise ConfigError(f"{path}: staffed_hours needs at least one window in the week")
    return StaffedHours(
        timezone=zone,
        windows=windows,
        reply_within_minutes_of_opening=int(number(raw, "reply_within_minutes_of_opening", path)),
    )


def parse_ticket_config(raw: Any, path: Path) -> TicketConfig:
    """Checks the parsed YAML; a wrong file fails at start-up naming the bad key."""
    queue = section(raw, "queue", path)
    return TicketConfig(
        hours=parse_hours(section(raw, "staffed_hours", path), path),
        queue=QueueConfig(
            average_handling_minutes=number(queue, "average_handling_minutes", path, 0.1),
            agents_on_duty=int(number(queue, "agents_on_duty", path, 1)),
            frustration_head_start_minutes=number(queue, "frustration_head_start_minutes", path),
        ),
    )


def config_path() -> Path:
    """DESK_CONFIG or config/desk.yml."""
    return Path(os.environ.get("DESK_CONFIG", DEFAULT_PATH))


def read_yaml(path: Path) -> Any:
    """The parsed file; a missing file is a ConfigError that names it."""
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc


@lru_cache(maxsize=1)
def load_ticket_config() -> TicketConfig:
    """Read once per process."""
    path = config_path()
    return parse_ticket_config(read_yaml(path), path)
