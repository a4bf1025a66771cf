"""The mood-independent handoff triggers (`triggers` in config/handoff.yml), checked once.

The rest of that file (cues, levels, thresholds, repeated contact) is read by mood/settings.py;
both read the same file so every knob lives in one place. What each intent is about comes from
config/topics.yml (contract.topics).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from contract.topics import load_topics
from mood.settings import DEFAULT_PATH
from settings.yaml_file import Section, read_yaml


@dataclass(frozen=True)
class HandoffSettings:
    """What hands over regardless of mood (see config/handoff.yml, `triggers`)."""

    person_request_intents: frozenset[str]
    failure_intents: frozenset[str]
    consecutive_failures: int
    # intent -> group of requests, for "the same request again" and repeated contact
    topics: dict[str, str]


def parse_handoff_settings(raw: Any, path: Path) -> HandoffSettings:
    """Checks the parsed YAML; a wrong file fails at start-up naming the bad key."""
    triggers = Section(raw, "", path).section("triggers")
    settings = HandoffSettings(
        person_request_intents=frozenset(triggers.texts("person_request_intents")),
        failure_intents=frozenset(triggers.texts("failure_intents")),
        consecutive_failures=triggers.integer("consecutive_failures", 1),
        topics=load_topics().groups,
    )
    triggers.finish()
    return settings


@lru_cache(maxsize=4)
def load_handoff_settings(path: Path | None = None) -> HandoffSettings:
    """Reads config/handoff.yml (or `path`)."""
    source = path or DEFAULT_PATH
    return parse_handoff_settings(read_yaml(source), source)
