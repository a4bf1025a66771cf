"""Satisfaction ratings (CSAT): the buttons, when to ask, and the names both servers share.

The action server asks after goodbye or thanks (actions/csat.py); the agent desk asks when a
person hands back or closes (agent_desk/desk.py). Both build the same buttons from
config/csat.yml, and the rating comes back as one payload, `/rate_conversation{"csat_score": 4}`,
whatever the channel.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

from contract.language import ENGLISH, KOREAN
from settings.env import Env
from settings.yaml_file import ConfigError, Section, read_yaml

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "config" / "csat.yml"

RATE_INTENT: Final = "rate_conversation"
NO_COMMENT_INTENT: Final = "deny"
# Slots (domain/csat.yml). Never carried into a new session: each session is asked once.
CSAT_SCORE: Final = "csat_score"
CSAT_ASKED: Final = "csat_asked"
CSAT_TRIGGER: Final = "csat_trigger"
CSAT_AGENT: Final = "csat_agent"
CSAT_COMMENT_OPEN: Final = "csat_comment_open"
CSAT_SLOTS: Final = (CSAT_SCORE, CSAT_ASKED, CSAT_TRIGGER, CSAT_AGENT, CSAT_COMMENT_OPEN)

RESPONSE_ASK: Final = "utter_ask_csat"
RESPONSE_THANKS: Final = "utter_csat_thanks"
RESPONSE_COMMENT_NOTED: Final = "utter_csat_comment_noted"
RESPONSE_NO_COMMENT: Final = "utter_csat_no_comment"

GOODBYE: Final = "goodbye"
THANKS: Final = "thanks"
HAND_BACK: Final = "hand_back"
CLOSE: Final = "close"
TRIGGERS: Final = (GOODBYE, THANKS, HAND_BACK, CLOSE)
TRIGGER_LABELS: Final = {
    GOODBYE: "customer said goodbye",
    THANKS: "customer said thanks",
    HAND_BACK: "a person handed back",
    CLOSE: "a person closed it",
}


@dataclass(frozen=True)
class CsatConfig:
    """The rating buttons (score, English title), the top scores that count as satisfied, and
    when; `korean_titles` are the scale's titles for a Korean conversation, in the same order."""

    scale: tuple[tuple[int, str], ...]
    satisfied_top: int
    ask_on: frozenset[str]
    no_comment_title: str
    korean_titles: tuple[str, ...]
    korean_no_comment_title: str

    def satisfied(self, score: float) -> bool:
        """The score is one of the top `satisfied_top` of the scale."""
        scores = sorted(s for s, _ in self.scale)
        return score >= scores[-self.satisfied_top]

    def buttons(self, language: str = ENGLISH) -> list[dict[str, str]]:
        """The rating buttons as Rasa sends them to every channel, titled in the conversation's
        language; the payload is the same in both, so analytics counts them together."""
        titles = self.korean_titles if language == KOREAN else [t for _, t in self.scale]
        return [
            {"title": title, "payload": f"/{RATE_INTENT}{json.dumps({CSAT_SCORE: score})}"}
            for (score, _), title in zip(self.scale, titles, strict=True)
        ]

    def no_comment_button(self, language: str = ENGLISH) -> list[dict[str, str]]:
        """The button that skips the comment, in the conversation's language."""
        title = self.korean_no_comment_title if language == KOREAN else self.no_comment_title
        return [{"title": title, "payload": f"/{NO_COMMENT_INTENT}"}]


def parse_csat(raw: Any, path: Path) -> CsatConfig:
    """Checks the parsed YAML; a wrong file fails at start-up naming the bad key."""
    root = Section(raw, "", path)
    entries = root.get("scale")
    if not isinstance(entries, list) or len(entries) < 2:
        raise root.error("scale", "must list at least two buttons")
    scale: list[tuple[int, str]] = []
    korean: list[str] = []
    for i, entry in enumerate(entries):
        item = Section(entry, f"scale[{i}]", path)
        scale.append((item.integer("score", 0), item.text("title")))
        korean.append(item.text("title_ko"))
        item.finish()
    if len({s for s, _ in scale}) != len(scale):
        raise root.error("scale", "has the same score twice")
    top = root.integer("satisfied_top", 1)
    if top > len(scale):
        raise root.error("satisfied_top", f"is more than the {len(scale)} scores of the scale")
    ask_on = frozenset(root.texts("ask_on"))
    unknown = ask_on - set(TRIGGERS)
    if unknown:
        raise ConfigError(f"{path}: 'ask_on' has {sorted(unknown)}; use {list(TRIGGERS)}")
    config = CsatConfig(
        tuple(scale),
        top,
        ask_on,
        root.text("no_comment_title"),
        tuple(korean),
        root.text("no_comment_title_ko"),
    )
    root.finish()
    return config


@lru_cache(maxsize=1)
def load_csat() -> CsatConfig:
    """CSAT_CONFIG or config/csat.yml, read once per process."""
    path = Env().path("CSAT_CONFIG", DEFAULT_PATH)
    return parse_csat(read_yaml(path), path)
