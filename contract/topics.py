"""What each intent is about (config/topics.yml), read by the action server and the tickets.

The `group` makes two requests "the same request again" and files repeated contact; the
`label` tells an agent what the customer wanted (`label_ko`: the same in Korean, for a Korean
conversation's summary and a Korean agent's desk).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from settings.yaml_file import Section, read_yaml

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "config" / "topics.yml"


@dataclass(frozen=True)
class Topics:
    """Per intent: its group (may be absent), its label, and its Korean label."""

    groups: dict[str, str]
    labels: dict[str, str]
    korean_labels: dict[str, str]

    def label(self, intent: str, language: str = "en") -> str | None:
        """The intent's label in `language` (Korean when `label_ko` has it, else English);
        None for an intent without a topic."""
        if language == "ko" and intent in self.korean_labels:
            return self.korean_labels[intent]
        return self.labels.get(intent)


def parse_topics(raw: object, path: Path) -> Topics:
    """Checks the parsed YAML; the first bad key raises ConfigError naming file and key."""
    root = Section(raw, "", path)
    groups: dict[str, str] = {}
    labels: dict[str, str] = {}
    korean_labels: dict[str, str] = {}
    for intent in root.keys():
        entry = root.section(intent)
        labels[intent] = entry.text("label")
        if entry.has("label_ko"):
            korean_labels[intent] = entry.text("label_ko")
        if entry.has("group"):
            groups[intent] = entry.text("group")
        entry.finish()
    return Topics(groups=groups, labels=labels, korean_labels=korean_labels)


@lru_cache(maxsize=4)
def load_topics(path: Path = DEFAULT_PATH) -> Topics:
    """config/topics.yml, read once per process."""
    return parse_topics(read_yaml(path), path)
