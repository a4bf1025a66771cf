"""Saved replies an agent puts into the reply box (config/canned_replies.yml).

It exists so a team writes its common answers once, in a file a lead can edit, and agents
pick them by title instead of typing them again; the agent still reads and may edit the text
before sending. "{agent}" in a text becomes the agent's display name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from settings.yaml_file import Section, read_yaml

AGENT_PLACEHOLDER = "{agent}"


@dataclass(frozen=True)
class CannedReply:
    """One saved reply: the title shown in the list and the text put into the reply box."""

    title: str
    text: str

    def for_agent(self, display_name: str) -> CannedReply:
        """The reply as this agent sends it."""
        return CannedReply(self.title, self.text.replace(AGENT_PLACEHOLDER, display_name))


def load_canned_replies(path: Path) -> tuple[CannedReply, ...]:
    """The file's `replies` (title: text), in file order; a bad entry is a ConfigError."""
    replies = Section(read_yaml(path), "", path).section("replies")
    return tuple(CannedReply(title, replies.text(title)) for title in replies.keys())
