"""The Korean scripted conversation suite (tests/flows/conversations_ko.yml), end to end over
REST with the same runner and the same system as the English suite."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from launcher.stack import Stack
from tests.flows.conversation import Script, run

SUITE = Path(__file__).with_name("conversations_ko.yml")
SCRIPTS = [
    Script.parse(raw) for raw in yaml.safe_load(SUITE.read_text(encoding="utf-8"))["conversations"]
]


def test_suite_names_are_unique() -> None:
    names = [script.name for script in SCRIPTS]
    assert len(names) == len(set(names)), "two conversations share a name"


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.name for s in SCRIPTS])
def test_korean_conversation(system: Stack, script: Script) -> None:
    outcome = run(script, system.settings)
    transcript = "\n".join(
        f"  customer: {turn.say}\n  assistant: {answer}"
        for turn, answer in zip(script.turns, outcome.answers, strict=False)
    )
    assert not outcome.problems, "\n".join(outcome.problems) + "\n" + transcript
