"""Reading config/*.yml (and credentials.yml): every error names the file and the dotted key
that is wrong.

A config file is the only place its rules live, so a misspelt key must stop start-up with its
name rather than quietly switch a rule off: `Section.finish()` refuses keys nobody read.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml
from limits import parse as parse_rate_limit


class ConfigError(ValueError):
    """A config file is missing, unreadable or has a bad key (named in the message)."""


def read_yaml(path: Path) -> Any:
    """The parsed file; a missing file or broken YAML is a ConfigError that names it."""
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the file ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from exc


class Section:
    """One mapping of a config file; every read names the full dotted key in its error."""

    def __init__(self, raw: Any, prefix: str, path: Path) -> None:
        self._path = path
        self._prefix = prefix
        if not isinstance(raw, dict):
            raise self.error(prefix or "top level", "must be a mapping of keys to values")
        self._raw: dict[Any, Any] = raw
        self._read: set[Any] = set()

    @property
    def path(self) -> Path:
        """The file this section was read from."""
        return self._path

    def error(self, key: str, problem: str) -> ConfigError:
        """A ConfigError for `key` (already dotted) of this file."""
        return ConfigError(f"{self._path}: '{key}' {problem}")

    def name(self, key: str) -> str:
        """The dotted name of `key` in this section."""
        return f"{self._prefix}.{key}" if self._prefix else str(key)

    def keys(self) -> list[str]:
        """The section's keys, in file order; a key that is not text is an error."""
        for key in self._raw:
            if not isinstance(key, str):
                raise self.error(
                    self.name(str(key)),
                    'is not a word (quote words YAML reads as booleans or numbers, such as "no")',
                )
        return list(self._raw)

    def has(self, key: str) -> bool:
        """Whether the optional `key` is present."""
        return key in self._raw

    def get(self, key: str) -> Any:
        """The raw value of a required key."""
        if key not in self._raw:
            raise self.error(self.name(key), "is missing")
        self._read.add(key)
        return self._raw[key]

    def section(self, key: str) -> Section:
        """A nested mapping."""
        return Section(self.get(key), self.name(key), self._path)

    def number(self, key: str, low: float, high: float = float("inf")) -> float:
        """A number within [low, high]."""
        value = self.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.error(self.name(key), f"must be a number, got {value!r}")
        if not low <= value <= high:
            bound = f"at least {low}" if high == float("inf") else f"between {low} and {high}"
            raise self.error(self.name(key), f"must be {bound}, got {value}")
        return float(value)

    def integer(self, key: str, low: int) -> int:
        """A whole number of at least `low`."""
        value = self.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(self.name(key), f"must be a whole number, got {value!r}")
        if value < low:
            raise self.error(self.name(key), f"must be at least {low}, got {value}")
        return value

    def text(self, key: str) -> str:
        """A non-empty string."""
        value = self.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.error(self.name(key), f"must be a non-empty text, got {value!r}")
        return value

    def rate_limit(self, key: str) -> str:
        """A rate limit in the `limits` notation ('3 per hour'), kept as text for the limiter
        that counts it; checked here so a wrong one stops start-up naming its key."""
        text = self.text(key)
        try:
            parse_rate_limit(text)
        except ValueError as exc:
            raise self.error(
                self.name(key), f"is not a rate limit like '3 per hour': {text!r}"
            ) from exc
        return text

    def texts(self, key: str) -> tuple[str, ...]:
        """A non-empty list of non-empty strings (phrases, words, intents)."""
        value = self.get(key)
        if not isinstance(value, list) or not value:
            raise self.error(self.name(key), f"must be a non-empty list, got {value!r}")
        for item in value:
            if isinstance(item, bool | int | float):
                raise self.error(
                    self.name(key),
                    f"has an entry that is not a text: {item!r} (quote words YAML reads as "
                    'booleans or numbers, such as "no")',
                )
            if not isinstance(item, str) or not item.strip():
                raise self.error(self.name(key), f"has an entry that is not a text: {item!r}")
        return tuple(item.strip() for item in value)

    def numbers(self, key: str, low: float, high: float) -> Mapping[str, float]:
        """A mapping of words to numbers within [low, high]."""
        nested = self.section(key)
        values = {word.lower(): nested.number(word, low, high) for word in nested.keys()}
        nested.finish()
        return MappingProxyType(values)

    def skip(self, key: str) -> None:
        """Accepts a key that another module reads from the same file."""
        self._read.add(key)

    def finish(self) -> None:
        """Refuses keys nobody read: they are typos or knobs that do not exist."""
        unknown = [str(key) for key in self._raw if key not in self._read]
        if unknown:
            raise self.error(self.name(unknown[0]), "is not a known setting")
