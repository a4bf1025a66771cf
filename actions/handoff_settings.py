"""The mood-independent handoff triggers (`triggers` in config/handoff.yml), checked once per process.

The rest of that file (cues, levels, thresholds, repeated contact) is read by
actions/frustration/settings.py; both read the same file so every knob lives in one place.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, FrozenSet, Optional

import yaml

from actions.frustration.settings import DEFAULT_PATH


@dataclass(frozen=True)
class HandoffSettings:
    """What hands over regardless of mood (see config/handoff.yml, `triggers`)."""

    person_request_intents: FrozenSet[str]
    failure_intents: FrozenSet[str]
    consecutive_failures: int
    # intent -> kind of problem, for "the same request again" and repeated contact
    topics: Dict[str, str]


def _require(raw: Dict[str, Any], key: str, kind: type, path: Path) -> Any:
    if key not in raw:
        raise ValueError(f"{path}: missing key 'triggers.{key}'")
    value = raw[key]
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ValueError(f"{path}: 'triggers.{key}' must be a {kind.__name__}, got {value!r}")
    return value


def parse_handoff_settings(raw: Any, path: Path) -> HandoffSettings:
    """Checks the parsed YAML; a wrong file fails at start-up naming the bad key."""
    triggers = raw.get("triggers") if isinstance(raw, dict) else None
    if not isinstance(triggers, dict):
        raise ValueError(f"{path}: expected a mapping under 'triggers'")
    failures = _require(triggers, "consecutive_failures", int, path)
    if failures < 1:
        raise ValueError(f"{path}: 'triggers.consecutive_failures' must be at least 1")
    return HandoffSettings(
        person_request_intents=frozenset(_require(triggers, "person_request_intents", list, path)),
        failure_intents=frozenset(_require(triggers, "failure_intents", list, path)),
        consecutive_failures=failures,
        topics={str(k): str(v) for k, v in _require(triggers, "topics", dict, path).items()},
    )


@lru_cache(maxsize=4)
def load_handoff_settings(path: Optional[Path] = None) -> HandoffSettings:
    """Reads config/handoff.yml (or `path`)."""
    source = path or DEFAULT_PATH
    with source.open(encoding="utf-8") as handle:
        return parse_handoff_settings(yaml.safe_load(handle), source)
