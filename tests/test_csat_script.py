"""The scripted CSAT conversations (benchmarks/csat_conversations.yml) cover what the figures
are split by: both kinds of resolution, every trigger and more than one agent."""

from __future__ import annotations

from benchmarks.csat import load_script
from contract.csat import load_csat


def test_the_script_covers_every_trigger_and_two_agents() -> None:
    script = load_script()
    assert {item.ends for item in script} == set(load_csat().ask_on)
    assert len({item.agent for item in script if item.agent}) >= 2
    assert any(not item.agent for item in script)
    assert all(1 <= item.rating <= 5 for item in script)
