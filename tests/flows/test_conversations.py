"""The scripted conversation suites, English (tests/flows/conversations.yml) and Korean
(tests/flows/conversations_ko.yml), end to end over REST with one runner.

Every conversation runs against the whole system and is checked for the key words of each
answer, the final state of the orders in the shop and the handoff decision. A conversation
that changed the shop is followed by a restart of the shop, which reseeds it, so each
conversation starts from the documented orders whatever ran before. Korean conversations'
names start with "ko ", so `-k "ko "` runs the Korean suite alone.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from launcher.stack import Stack
from tests.flows.conversation import Script, run

SUITES = [Path(__file__).with_name(name) for name in ("conversations.yml", "conversations_ko.yml")]
SCRIPTS = [
    Script.parse(raw)
    for suite in SUITES
    for raw in yaml.safe_load(suite.read_text(encoding="utf-8"))["conversations"]
]


def test_suite_names_are_unique() -> None:
    names = [script.name for script in SCRIPTS]
    assert len(names) == len(set(names)), "two conversations share a name"


def test_korean_names_say_so() -> None:
    korean = yaml.safe_load(SUITES[1].read_text(encoding="utf-8"))["conversations"]
    assert korean and all(raw["name"].startswith("ko ") for raw in korean)


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.name for s in SCRIPTS])
def test_conversation(system: Stack, script: Script) -> None:
    outcome = run(script, system.settings)
    transcript = "\n".join(
        f"  customer: {'[presses] ' if turn.press else ''}{turn.say}\n  assistant: {answer}"
        for turn, answer in zip(script.turns, outcome.answers, strict=False)
    )
    assert not outcome.problems, "\n".join(outcome.problems) + "\n" + transcript
