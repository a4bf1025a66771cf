"""Saved replies an agent puts into the reply box (config/canned_replies.yml).

It exists so a team writes its common answers once, in a file a lead can edit, and agents
pick them by title instead of typing them again; the agent still reads and may edit the text
before sending. "{agent}" in a text becomes the agent's display name.

Replies are per language (`replies` in English, `replies_ko` in Korean): the conversation page
offers those of the conversation's language, since the customer reads them, whatever language
the agent's own desk is in; a language without saved replies gets the English ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from contract.language import ENGLISH, LANGUAGES
from settings.yaml_file import Section, read_yaml

AGENT_PLACEHOLDER = "{agent}"


@dataclass(frozen=True)
class CannedReply:
    """One saved reply: the title shown in the list, the text put into the reply box, and the
    language the text is written in."""

    title: str
    text: str
    language: str = ENGLISH

    def for_agent(self, display_name: str) -> CannedReply:
        """The reply as this agent sends it."""
        return CannedReply(
            self.title, self.text.replace(AGENT_PLACEHOLDER, display_name), self.language
        )


def section_name(language: str) -> str:
    """The file's key for `language`: `replies` for English, `replies_ko` for Korean."""
    return "replies" if language == ENGLISH else f"replies_{language}"


def load_canned_replies(path: Path) -> tuple[CannedReply, ...]:
    """Every language's replies (title: text), in file order; `replies` is required, the other
    languages' sections optional; a bad entry or an unknown section is a ConfigError."""
    root = Section(read_yaml(path), "", path)
    found: list[CannedReply] = []
    for language in LANGUAGES:
        name = section_name(language)
        if language != ENGLISH and not root.has(name):
            continue
        replies = root.section(name)
        found.extend(CannedReply(title, replies.text(title), language) for title in replies.keys())
    root.finish()
    return tuple(found)


def replies_in(replies: Sequence[CannedReply], language: str) -> list[CannedReply]:
    """The replies written in `language`; the English ones when it has none."""
    chosen = [reply for reply in replies if reply.language == language]
    return chosen or [reply for reply in replies if reply.language == ENGLISH]
