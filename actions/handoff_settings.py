"""The handoff configuration (config/handoff.yml), loaded and checked once per process."""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, FrozenSet

import yaml

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "config" / "handoff.yml"


@dataclass(frozen=True)
class HandoffSettings:
    """What makes the assistant hand over (see config/handoff.yml for each knob)."""

    person_request_intents: FrozenSet[str]
    failure_intents: FrozenSet[str]
    consecutive_failures: int
    # intent -> kind of problem, for "the same request again" and repeated contact
    topics: Dict[str, str]
    repeat_contact_count: int
    repeat_contact_window_s: float


def _require(raw: Dict[str, Any], key: str, kind: Any, path: Path) -> Any:
    if key not in raw:
        raise ValueError(f"{path}: missing key '{key}'")
    value = raw[key]
    if not isinstance(value, kind) or isinstance(value, bool):
        names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
        raise ValueError(f"{path}: '{key}' must be a {names}, got {value!r}")
    return value


def parse_handoff_settings(raw: Any, path: Path) -> HandoffSettings:
    """Checks the parsed YAML; a wrong file fails at start-up naming the bad key."""
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    failures = _require(raw, "consecutive_failures", int, path)
    if failures < 1:
        raise ValueError(f"{path}: 'consecutive_failures' must be at least 1")
    repeat = _require(raw, "repeated_contact", dict, path)
    count = _require(repeat, "count", int, path)
    days = _require(repeat, "window_days", (int, float), path)
    if count < 2 or days <= 0:
        raise ValueError(f"{path}: repeated_contact needs count >= 2 and window_days > 0")
    return HandoffSettings(
        person_request_intents=frozenset(_require(raw, "person_request_intents", list, path)),
        failure_intents=frozenset(_require(raw, "failure_intents", list, path)),
        consecutive_failures=failures,
        topics={str(k): str(v) for k, v in _require(raw, "topics", dict, path).items()},
        repeat_contact_count=count,
        repeat_contact_window_s=float(days) * 86400.0,
    )


@lru_cache(maxsize=1)
def load_handoff_settings() -> HandoffSettings:
    """Reads HANDOFF_CONFIG or config/handoff.yml."""
    path = Path(os.environ.get("HANDOFF_CONFIG", DEFAULT_PATH))
    with path.open(encoding="utf-8") as handle:
        return parse_handoff_settings(yaml.safe_load(handle), path)
