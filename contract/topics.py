"""What each intent is about (config/topics.yml), read by the action server and the tickets.

The `group` makes two requests "the same request again" and files repeated contact; the
`label` tells an agent what the customer wanted.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from settings.yaml_file import Section, read_yaml

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "config" / "topics.yml"


@dataclass(frozen=True)
class Topics:
    """Per intent: its group (may be absent) and its label."""

    groups: dict[str, str]
    labels: dict[str, str]


def parse_topics(raw: object, path: Path) -> Topics:
    """Checks the parsed YAML; the first bad key raises ConfigError naming file and key."""
    root = Section(raw, "", path)
    groups: dict[str, str] = {}
    labels: dict[str, str] = {}
    for intent in root.keys():
        entry = root.section(intent)
        labels[intent] = entry.text("label")
        if entry.has("group"):
            groups[intent] = entry.text("group")
        entry.finish()
    return Topics(groups=groups, labels=labels)


@lru_cache(maxsize=4)
def load_topics(path: Path = DEFAULT_PATH) -> Topics:
    """config/topics.yml, read once per process."""
    return parse_topics(read_yaml(path), path)
