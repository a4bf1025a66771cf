"""config/handoff.yml: the shipped file loads, and a broken one names what is wrong."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from mood.analyzer import TurnAnalyzer
from mood.settings import (
    CUES,
    DEFAULT_PATH,
    FrustrationSettings,
    load_frustration_settings,
    load_handoff_triggers,
)
from settings.yaml_file import ConfigError


def shipped() -> dict[str, Any]:
    """The shipped configuration as plain data, to break one key at a time."""
    return yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))


def write(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    """A copy of the shipped file with `change` applied."""
    raw = shipped()
    change(raw)
    path = tmp_path / "frustration.yml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path


def test_shipped_file_loads(settings: FrustrationSettings) -> None:
    assert set(settings.weights) == set(CUES)
    assert 0 < settings.levels.annoyed < settings.levels.frustrated <= 1
    assert settings.repeat_contact.phrases and settings.profanity.words


def test_a_copy_loads_from_another_path(tmp_path: Path, settings: FrustrationSettings) -> None:
    assert load_frustration_settings(write(tmp_path, lambda raw: None)) == settings


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda raw: raw["levels"].pop("frustrated"), "'levels.frustrated' is missing"),
        (
            lambda raw: raw["smoothing"].update(alpha="high"),
            "'smoothing.alpha' must be a number, got 'high'",
        ),
        (
            lambda raw: raw["weights"].update(negative=1.5),
            "'weights.negative' must be between 0.0 and 1.0, got 1.5",
        ),
        (
            lambda raw: raw["handoff"].update(treshold=0.5),
            "'handoff.treshold' is not a known setting",
        ),
        (
            lambda raw: raw["handoff"].update(min_turns=1.5),
            "'handoff.min_turns' must be a whole number, got 1.5",
        ),
        (
            lambda raw: raw["levels"].update(annoyed=0.8),
            "'levels.annoyed' must be below 'levels.frustrated'",
        ),
        (lambda raw: raw.update(sarcasm_markers=[]), "'sarcasm_markers' must be a non-empty list"),
        (
            lambda raw: raw["repeat_contact"].update(phrases=["third time", 3]),
            "'repeat_contact.phrases' has an entry that is not a text: 3",
        ),
        (
            lambda raw: raw["profanity"].update(mask_characters="*x"),
            "'profanity.mask_characters' must hold symbols only",
        ),
        (
            lambda raw: raw["triggers"].update(consecutive_failures=0),
            "'triggers.consecutive_failures' must be at least 1, got 0",
        ),
        (
            lambda raw: raw["handoff"]["sustained"].update(rising_turns=1),
            "'handoff.sustained.rising_turns' must be 0 (off) or at least 2",
        ),
        (
            lambda raw: raw["triggers"].update(failure_intent=["nlu_fallback"]),
            "'triggers.failure_intent' is not a known setting",
        ),
    ],
)
def test_a_bad_key_is_named(
    tmp_path: Path, change: Callable[[dict[str, Any]], None], message: str
) -> None:
    path = write(tmp_path, change)
    with pytest.raises(ConfigError) as error:
        load_frustration_settings(path)
    assert str(error.value).startswith(f"{path}: ")
    assert message in str(error.value)


def test_the_triggers_come_from_the_same_file(tmp_path: Path) -> None:
    """One reader for the whole file: the action server's and the desk's triggers are read
    with the mood rules, from the same path."""
    path = write(tmp_path, lambda raw: raw["triggers"].update(consecutive_failures=5))
    assert load_handoff_triggers(path).consecutive_failures == 5
    assert "request_human" in load_handoff_triggers().person_request_intents


def test_unquoted_no_tells_how_to_fix_it(tmp_path: Path) -> None:
    path = tmp_path / "frustration.yml"
    text = DEFAULT_PATH.read_text(encoding="utf-8").replace('["no", nope', "[no, nope")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="quote words YAML reads as booleans"):
        load_frustration_settings(path)


def test_missing_file_and_broken_yaml_are_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the file"):
        load_frustration_settings(tmp_path / "absent.yml")
    broken = tmp_path / "broken.yml"
    broken.write_text("weights: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_frustration_settings(broken)


def test_a_phrase_without_words_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, lambda raw: raw["sarcasm_markers"].append("!!!"))
    with pytest.raises(ConfigError, match="the sarcasm phrase '!!!' has no words"):
        TurnAnalyzer(load_frustration_settings(path))


def test_changing_a_weight_changes_the_score(tmp_path: Path, analyzer: TurnAnalyzer) -> None:
    """The file is the only place the rules live: a bot builder's edit takes effect."""
    quiet = TurnAnalyzer(
        load_frustration_settings(write(tmp_path, lambda raw: raw["weights"].update(capitals=0)))
    )
    text = "WHERE IS MY REFUND"
    assert "capitals" in analyzer.analyze(text).reasons
    assert "capitals" not in quiet.analyze(text).reasons
    assert quiet.analyze(text).frustration < analyzer.analyze(text).frustration
