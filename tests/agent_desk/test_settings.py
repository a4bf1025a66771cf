"""The desk's settings: checked against config/handoff.yml at start-up."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent_desk.settings import load_desk_settings
from harness.ticket_helpers import write_desk_config
from mood.settings import load_frustration_settings
from settings.yaml_file import ConfigError


def test_hand_back_levels_must_stay_below_the_handoff_threshold(tmp_path: Path) -> None:
    """A level at or above the threshold would send a handed-back customer straight back."""
    threshold = load_frustration_settings().handoff.threshold
    levels = {"calm": 0.0, "annoyed": threshold}
    config = write_desk_config(tmp_path / "desk.yml", hand_back_levels=levels)
    with pytest.raises(ConfigError) as failure:
        load_desk_settings({"RASA_API_TOKEN": "t", "DESK_CONFIG": str(config)})
    assert "'desk.hand_back_levels.annoyed'" in str(failure.value)
    assert "'handoff.threshold'" in str(failure.value)
    ok = write_desk_config(tmp_path / "ok.yml")
    assert load_desk_settings({"RASA_API_TOKEN": "t", "DESK_CONFIG": str(ok)}).hand_back_levels
