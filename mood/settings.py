"""The mood part of config/handoff.yml, loaded and checked into frozen values.

Every key is required and unknown keys are refused: the file is the only place these rules
live, so a misspelt key must stop start-up with its name rather than quietly switch a rule off.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from contract.slots import ANNOYED, CALM, FRUSTRATED
from settings.yaml_file import ConfigError, Section, read_yaml

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "config" / "handoff.yml"

CUES: tuple[str, ...] = (
    "negative",
    "capitals",
    "exclamations",
    "profanity",
    "repeat_contact_phrase",
    "sarcasm",
    "impatience",
    "escalation",
    "rejected_answer",
    "consecutive_failures",
    "repeated_request",
)
"""The named cues of a message's frustration score, which are also the reasons reported."""


@dataclass(frozen=True)
class Levels:
    """Score boundaries of the annoyed and frustrated levels."""

    annoyed: float
    frustrated: float

    def level_of(self, score: float) -> str:
        """The level name of a frustration score (a message's or the smoothed one)."""
        if score >= self.frustrated:
            return FRUSTRATED
        if score >= self.annoyed:
            return ANNOYED
        return CALM


@dataclass(frozen=True)
class SharpDrop:
    """A fall in sentiment between two messages that hands over while the mood is already low."""

    sentiment_drop: float
    min_smoothed: float


@dataclass(frozen=True)
class Handoff:
    """When the conversation's mood hands over to a person."""

    threshold: float
    min_turns: int
    sharp_drop: SharpDrop


@dataclass(frozen=True)
class Negativity:
    """How VADER's valence becomes the negative cue (see config/handoff.yml)."""

    neutral_band: float
    full_at: float
    valence_overrides: Mapping[str, float]

    def strength(self, compound: float) -> float:
        """0 inside the neutral band, rising linearly to 1 at `full_at` below zero."""
        return min(
            1.0, max(0.0, (-compound - self.neutral_band) / (self.full_at - self.neutral_band))
        )


@dataclass(frozen=True)
class Capitals:
    """What counts as shouting (see config/handoff.yml)."""

    min_word_letters: int
    min_letters: int
    min_share: float
    ignore: frozenset[str]


@dataclass(frozen=True)
class Exclamations:
    """Runs of '!' and '?' that count as intensity."""

    min_run: int
    full_run: int


@dataclass(frozen=True)
class Profanity:
    """Swear words, and how masked forms of them are recognised."""

    words: frozenset[str]
    mask_characters: str
    min_visible_letters: int


@dataclass(frozen=True)
class RepeatContact:
    """Contact-history window (used by the action server) and the phrases saying it in words."""

    count: int
    window_days: float
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class FrustrationSettings:
    """Everything that decides a message's frustration and the conversation's handoff."""

    weights: Mapping[str, float]
    levels: Levels
    smoothing_alpha: float
    smoothing_calming_alpha: float
    handoff: Handoff
    negativity: Negativity
    capitals: Capitals
    exclamations: Exclamations
    profanity: Profanity
    failures_full_at: int
    repeat_contact: RepeatContact
    rejection_phrases: tuple[str, ...]
    sarcasm_markers: tuple[str, ...]
    impatience_phrases: tuple[str, ...]
    escalation_phrases: tuple[str, ...]


def parse_frustration_settings(raw: Any, path: Path) -> FrustrationSettings:
    """Checks the parsed YAML and builds the settings; the first bad key raises, named."""
    root = Section(raw, "", path)
    root.skip("triggers")  # actions/handoff_settings.py reads it
    weights_section = root.section("weights")
    weights = MappingProxyType({cue: weights_section.number(cue, 0.0, 1.0) for cue in CUES})
    weights_section.finish()

    levels = _parse_levels(root.section("levels"), path)
    alpha, calming_alpha = _parse_smoothing(root.section("smoothing"), path)

    handoff = _parse_handoff(root.section("handoff"))
    negativity = _parse_negativity(root.section("negative"), path)
    capitals = _parse_capitals(root.section("capitals"))
    exclamations = _parse_exclamations(root.section("exclamations"), path)
    profanity = _parse_profanity(root.section("profanity"), path)

    failures = root.section("consecutive_failures")
    failures_full_at = failures.integer("full_at", 1)
    failures.finish()

    repeat = root.section("repeat_contact")
    repeat_contact = RepeatContact(
        count=repeat.integer("count", 2),
        window_days=repeat.number("window_days", 0.0, 3650.0),
        phrases=repeat.texts("phrases"),
    )
    if repeat_contact.window_days == 0:
        raise ConfigError(f"{path}: 'repeat_contact.window_days' must be above 0")
    repeat.finish()

    settings = FrustrationSettings(
        weights=weights,
        levels=levels,
        smoothing_alpha=alpha,
        smoothing_calming_alpha=calming_alpha,
        handoff=handoff,
        negativity=negativity,
        capitals=capitals,
        exclamations=exclamations,
        profanity=profanity,
        failures_full_at=failures_full_at,
        repeat_contact=repeat_contact,
        rejection_phrases=root.texts("rejection_phrases"),
        sarcasm_markers=root.texts("sarcasm_markers"),
        impatience_phrases=root.texts("impatience_phrases"),
        escalation_phrases=root.texts("escalation_phrases"),
    )
    root.finish()
    return settings


def _parse_levels(section: Section, path: Path) -> Levels:
    levels = Levels(
        annoyed=section.number("annoyed", 0.0, 1.0),
        frustrated=section.number("frustrated", 0.0, 1.0),
    )
    if levels.annoyed >= levels.frustrated:
        raise ConfigError(f"{path}: 'levels.annoyed' must be below 'levels.frustrated'")
    section.finish()
    return levels


def _parse_smoothing(section: Section, path: Path) -> tuple[float, float]:
    alpha = section.number("alpha", 0.0, 1.0)
    calming_alpha = section.number("calming_alpha", 0.0, 1.0)
    if alpha == 0.0 or calming_alpha == 0.0:
        raise ConfigError(f"{path}: 'smoothing' factors must be above 0")
    section.finish()
    return alpha, calming_alpha


def _parse_handoff(section: Section) -> Handoff:
    drop = section.section("sharp_drop")
    sharp_drop = SharpDrop(
        sentiment_drop=drop.number("sentiment_drop", 0.0, 2.0),
        min_smoothed=drop.number("min_smoothed", 0.0, 1.0),
    )
    drop.finish()
    handoff = Handoff(
        threshold=section.number("threshold", 0.0, 1.0),
        min_turns=section.integer("min_turns", 1),
        sharp_drop=sharp_drop,
    )
    section.finish()
    return handoff


def _parse_negativity(section: Section, path: Path) -> Negativity:
    negativity = Negativity(
        neutral_band=section.number("neutral_band", 0.0, 1.0),
        full_at=section.number("full_at", 0.0, 1.0),
        valence_overrides=section.numbers("valence_overrides", -4.0, 4.0),
    )
    if negativity.full_at <= negativity.neutral_band:
        raise ConfigError(f"{path}: 'negative.full_at' must be above 'negative.neutral_band'")
    section.finish()
    return negativity


def _parse_capitals(section: Section) -> Capitals:
    capitals = Capitals(
        min_word_letters=section.integer("min_word_letters", 1),
        min_letters=section.integer("min_letters", 1),
        min_share=section.number("min_share", 0.0, 1.0),
        ignore=frozenset(word.upper() for word in section.texts("ignore")),
    )
    section.finish()
    return capitals


def _parse_exclamations(section: Section, path: Path) -> Exclamations:
    exclamations = Exclamations(
        min_run=section.integer("min_run", 1), full_run=section.integer("full_run", 1)
    )
    if exclamations.full_run < exclamations.min_run:
        raise ConfigError(
            f"{path}: 'exclamations.full_run' must be at least 'exclamations.min_run'"
        )
    section.finish()
    return exclamations


def _parse_profanity(section: Section, path: Path) -> Profanity:
    masks = section.text("mask_characters")
    if any(char.isalnum() or char.isspace() for char in masks):
        raise ConfigError(
            f"{path}: 'profanity.mask_characters' must hold symbols only, got {masks!r}"
        )
    profanity = Profanity(
        words=frozenset(word.lower() for word in section.texts("words")),
        mask_characters=masks,
        min_visible_letters=section.integer("min_visible_letters", 1),
    )
    section.finish()
    return profanity


def load_frustration_settings(path: Path | None = None) -> FrustrationSettings:
    """Reads and checks the file (config/handoff.yml unless `path` is given).

    Read once per process and file (parsing takes ~30 ms, too long to repeat on every message
    on the action server's event loop): edit the file, then restart.
    """
    return _load(Path(path).resolve() if path is not None else DEFAULT_PATH)


@lru_cache(maxsize=8)
def _load(path: Path) -> FrustrationSettings:
    """Parses one file; failures are not cached, so a fixed file loads on the next call."""
    raw = read_yaml(path)
    return parse_frustration_settings(raw, path)
