"""The words of the figures (titles, columns, row names, notes, headline lines) in a reader's
language.

The tables are worded here in English, and each builder takes a `Words` (named `_`, as gettext
is) that turns an English text into the reader's language: the desk passes the signed-in
agent's catalog (agent_desk/i18n.py), `make report --language ko` the Korean one, and English is
the default everywhere. Texts are marked with `_()` or `N_()` so the desk's catalog extraction
finds them (agent_desk/README.md: Languages), and tests/agent_desk/test_translations.py fails
when one lacks Korean. Texts a reader types or names a person chose (customer messages, agent
names, dates) never pass through it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


def N_(text: str) -> str:  # noqa: N802 (gettext's name for "mark only")
    """Marks `text` for the catalog (pybabel extract) where it is translated later."""
    return text


def _as_written(text: str) -> str:
    return text


@dataclass(frozen=True)
class Words:
    """A reader's language: its code, for what is worded in configuration (config/topics.yml's
    `label_ko`), and the translation of an English text through a catalog."""

    language: str = "en"
    translate: Callable[[str], str] = field(default=_as_written)

    def __call__(self, text: str) -> str:
        """`text` in the reader's language (as written when the catalog lacks it)."""
        return self.translate(text)


ENGLISH = Words()
