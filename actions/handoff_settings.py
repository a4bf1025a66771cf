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


def _require(raw: Dict[str, Any], key: str, kind: type, path: Path) -> Any:
    if key not in raw:
        raise ValueError(f"{path}: missing key '{key}'")
    value = raw[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is int:
        raise ValueError(f"{path}: '{key}' must be a {kind.__name__}, got {value!r}")
    return value


def parse_handoff_settings(raw: Any, path: Path) -> HandoffSettings:
    """Checks the parsed YAML; a wrong file fails at start-up naming the bad key."""
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    failures = _require(raw, "consecutive_failures", int, path)
    if failures < 1:
        raise ValueError(f"{path}: 'consecutive_failures' must be at least 1")
    return HandoffSettings(
        person_request_intents=frozenset(_require(raw, "person_request_intents", list, path)),
        failure_intents=frozenset(_require(raw, "failure_intents", list, path)),
        consecutive_failures=failures,
    )


@lru_cache(maxsize=1)
def load_handoff_settings() -> HandoffSettings:
    """Reads HANDOFF_CONFIG or config/handoff.yml."""
    path = Path(os.environ.get("HANDOFF_CONFIG", DEFAULT_PATH))
    with path.open(encoding="utf-8") as handle:
        return parse_handoff_settings(yaml.safe_load(handle), path)
