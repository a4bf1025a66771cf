"""YAML checking: every error names the file and the dotted key, unknown keys are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from settings.yaml_file import ConfigError, Section, read_yaml

FILE = Path("config/example.yml")


def test_nested_keys_are_named_with_their_path() -> None:
    root = Section({"queue": {"agents": 0}}, "", FILE)
    with pytest.raises(ConfigError) as failure:
        root.section("queue").integer("agents", 1)
    assert str(failure.value) == "config/example.yml: 'queue.agents' must be at least 1, got 0"


def test_missing_wrong_typed_and_unknown_keys() -> None:
    section = Section({"a": "x", "typo": 1}, "top", FILE)
    with pytest.raises(ConfigError, match="'top.b' is missing"):
        section.get("b")
    with pytest.raises(ConfigError, match="'top.a' must be a number, got 'x'"):
        section.number("a", 0.0)
    with pytest.raises(ConfigError, match="'top.typo' is not a known setting"):
        section.finish()


def test_words_yaml_reads_as_booleans_are_refused_with_a_hint() -> None:
    section = Section(yaml.safe_load("overrides:\n  no: -1\n"), "", FILE)
    with pytest.raises(ConfigError, match="quote words YAML reads as booleans"):
        section.numbers("overrides", -4.0, 4.0)


def test_unreadable_and_broken_files_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="missing.yml: cannot read the file"):
        read_yaml(tmp_path / "missing.yml")
    broken = tmp_path / "broken.yml"
    broken.write_text("a: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="broken.yml: not valid YAML"):
        read_yaml(broken)
