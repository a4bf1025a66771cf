"""config/handoff.yml, loaded and checked into frozen values: the only code that reads it.

The mood rules (cues, levels, thresholds, repeated contact) are used here in `mood`; the
mood-independent `triggers` by the action server's handoff rules (actions/handoff_rules.py) and
the agent desk's recovery (agent_desk/recovery.py). Reading the whole file in one place keeps
one check of it: every key is required and unknown keys are refused, since the file is the only
place these rules live and a misspelt key must stop start-up with its name rather than quietly
switch a rule off.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from contract.slots import ANNOYED, CALM, FRUSTRATED
from settings.yaml_file import ConfigError, Section, read_yaml

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PATH = PROJECT_ROOT / "config" / "handoff.yml"

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
    "correction",
    "short_negative_reply",
    "banmal_switch",
    "consecutive_failures",
    "repeated_request",
)
"""The named cues of a message's frustration score, which are also the reasons reported."""
STRONG_DISSATISFACTION = "strong_dissatisfaction"
"""A reason with no weight of its own (polite fury): it sets the message's level in the
conversation (mood/conversation.py)."""


@dataclass(frozen=True)
class Levels:
    """Score boundaries of the annoyed and frustrated levels."""

    annoyed: float
    frustrated: float
    message_annoyed_from: float
    """A message's combined cue score that reaches the annoyed level (`calibrated`)."""
    message_frustrated_from: float
    """A message's combined cue score that reaches the frustrated level."""

    def calibrated(self, combined: float) -> float:
        """A message's combined cue score stretched piecewise-linearly so that the cut points
        learnt on the training turns land on the levels: the ranking is unchanged, and the
        conversation's rules (smoothing, handoff threshold) keep reading the same levels."""
        knots = (
            (0.0, 0.0),
            (self.message_annoyed_from, self.annoyed),
            (self.message_frustrated_from, self.frustrated),
            (1.0, 1.0),
        )
        for (x0, y0), (x1, y1) in zip(knots[:-1], knots[1:], strict=True):
            if combined <= x1:
                return y0 + (y1 - y0) * (combined - x0) / (x1 - x0)
        return 1.0

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
class SustainedAnnoyance:
    """When a customer who stays annoyed is offered a person (config `handoff.sustained`)."""

    annoyed_turns: int
    """Annoyed messages in a row that offer a person (0: this rule never offers)."""
    rising_turns: int
    """Messages rising to annoyed that offer a person (0: this rule never offers; else >= 2)."""
    min_rise: float
    after_frustrated: int
    """Messages still annoyed after a frustrated one that hand over at once (0: never)."""

    @property
    def keep(self) -> int:
        """How many of the latest messages' scores the rules read."""
        return max(self.annoyed_turns, self.rising_turns, self.after_frustrated + 1)


@dataclass(frozen=True)
class Handoff:
    """When the conversation's mood hands over to a person."""

    threshold: float
    min_turns: int
    sharp_drop: SharpDrop
    sustained: SustainedAnnoyance
    single_message_threshold: float
    """A message's own score from which it may reach `threshold` alone, with no upset message
    before it (mood/conversation.py `ConversationMood.confirmed`)."""
    single_message_cues: frozenset[str]
    """Reasons that let one message reach `threshold` alone whatever its score."""


@dataclass(frozen=True)
class ModelCue:
    """How the message-level models become the negative cue (config `model`)."""

    weights_file: Path
    support_weights_file: Path
    combiner_file: Path
    annoyed_share: float
    goemotions_share: float
    plain_answers: frozenset[str]

    def support_strength(self, annoyed: float, frustrated: float) -> float:
        """The support model's part: its annoyed probability counts `annoyed_share`."""
        return min(1.0, self.annoyed_share * annoyed + frustrated)

    def strength(self, annoyed: float, frustrated: float, goemotions: float) -> float:
        """From the support model's class probabilities and the GoEmotions model's
        probability: continuous, so a mildly negative message always ranks above a neutral
        one (no band flattened to 0). The GoEmotions share keeps the reading of wording
        unlike the support model's training turns (it ranks real text better)."""
        support = self.support_strength(annoyed, frustrated)
        return (1.0 - self.goemotions_share) * support + self.goemotions_share * goemotions


@dataclass(frozen=True)
class PositiveDamping:
    """Capitals and '!!!' in a clearly positive message are joy, not anger."""

    start: float
    full_at: float

    def factor(self, compound: float) -> float:
        """1 up to `start` of VADER's compound, falling linearly to 0 at `full_at`."""
        return 1.0 - min(1.0, max(0.0, (compound - self.start) / (self.full_at - self.start)))


@dataclass(frozen=True)
class SentimentCap:
    """When and how far an angry message's sentiment is held down (config `sentiment_cap`)."""

    min_negative: float
    ceiling: float

    def cap(self, frustration: float) -> float:
        """The highest sentiment a message of this frustration may show."""
        return self.ceiling - 2.0 * frustration


@dataclass(frozen=True)
class ContactClaims:
    """A count ("third time", "twice") near a contact verb ("write", "call"): earlier contact."""

    counts: tuple[str, ...]
    contact_words: tuple[str, ...]
    within: int


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
class HandoffTriggers:
    """What hands over regardless of mood (`triggers`): not used by `mood` itself, but read
    here with the rest of the file so the file has one reader and one check."""

    person_request_intents: frozenset[str]
    failure_intents: frozenset[str]
    consecutive_failures: int


@dataclass(frozen=True)
class FrustrationSettings:
    """Everything that decides a message's frustration and the conversation's handoff."""

    weights: Mapping[str, float]
    levels: Levels
    korean_levels: Levels
    """The same levels with the cut points of Korean messages' scores (mood/korean.py)."""
    smoothing_alpha: float
    smoothing_calming_alpha: float
    handoff: Handoff
    model: ModelCue
    reported_from: float
    positive_damping: PositiveDamping
    sentiment_cap: SentimentCap
    capitals: Capitals
    exclamations: Exclamations
    profanity: Profanity
    failures_full_at: int
    repeat_contact: RepeatContact
    rejection_phrases: tuple[str, ...]
    sarcasm_markers: tuple[str, ...]
    impatience_phrases: tuple[str, ...]
    escalation_phrases: tuple[str, ...]
    strong_dissatisfaction_phrases: tuple[str, ...]
    correction_phrases: tuple[str, ...]
    contact_claims: ContactClaims


@dataclass(frozen=True)
class HandoffFile:
    """The whole of config/handoff.yml: the mood rules and the mood-independent triggers."""

    frustration: FrustrationSettings
    triggers: HandoffTriggers


def parse_handoff_file(raw: Any, path: Path) -> HandoffFile:
    """Checks the parsed YAML and builds the settings; the first bad key raises, named."""
    root = Section(raw, "", path)
    triggers = _parse_triggers(root.section("triggers"))
    weights_section = root.section("weights")
    weights = MappingProxyType({cue: weights_section.number(cue, 0.0, 1.0) for cue in CUES})
    weights_section.finish()

    levels = _parse_levels(root.section("levels"), path)
    korean_levels = _parse_cut_points(root.section("korean_levels"), levels, path)
    alpha, calming_alpha = _parse_smoothing(root.section("smoothing"), path)

    handoff = _parse_handoff(root.section("handoff"))
    model = _parse_model(root.section("model"), path)
    damping = _parse_damping(root.section("positive_damping"), path)
    claims = _parse_claims(root.section("earlier_contact_claims"))
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

    frustration = FrustrationSettings(
        weights=weights,
        levels=levels,
        korean_levels=korean_levels,
        smoothing_alpha=alpha,
        smoothing_calming_alpha=calming_alpha,
        handoff=handoff,
        model=model,
        reported_from=root.number("reported_from", 0.0, 1.0),
        positive_damping=damping,
        sentiment_cap=_parse_sentiment_cap(root.section("sentiment_cap")),
        capitals=capitals,
        exclamations=exclamations,
        profanity=profanity,
        failures_full_at=failures_full_at,
        repeat_contact=repeat_contact,
        rejection_phrases=root.texts("rejection_phrases"),
        sarcasm_markers=root.texts("sarcasm_markers"),
        impatience_phrases=root.texts("impatience_phrases"),
        escalation_phrases=root.texts("escalation_phrases"),
        strong_dissatisfaction_phrases=root.texts("strong_dissatisfaction_phrases"),
        correction_phrases=root.texts("correction_phrases"),
        contact_claims=claims,
    )
    root.finish()
    return HandoffFile(frustration=frustration, triggers=triggers)


def _parse_triggers(section: Section) -> HandoffTriggers:
    triggers = HandoffTriggers(
        person_request_intents=frozenset(section.texts("person_request_intents")),
        failure_intents=frozenset(section.texts("failure_intents")),
        consecutive_failures=section.integer("consecutive_failures", 1),
    )
    section.finish()
    return triggers


def _parse_levels(section: Section, path: Path) -> Levels:
    annoyed = section.number("annoyed", 0.0, 1.0)
    frustrated = section.number("frustrated", 0.0, 1.0)
    if annoyed >= frustrated:
        raise ConfigError(f"{path}: 'levels.annoyed' must be below 'levels.frustrated'")
    return _parse_cut_points(section, Levels(annoyed, frustrated, annoyed, frustrated), path)


def _parse_cut_points(section: Section, levels: Levels, path: Path) -> Levels:
    """`levels` with the section's message cut points (`levels` or `korean_levels`)."""
    found = replace(
        levels,
        message_annoyed_from=section.number("message_annoyed_from", 0.0, 1.0),
        message_frustrated_from=section.number("message_frustrated_from", 0.0, 1.0),
    )
    if not 0.0 < found.message_annoyed_from < found.message_frustrated_from < 1.0:
        raise ConfigError(
            f"{path}: '{section.name('message_annoyed_from')}' must be above 0 and below "
            f"'{section.name('message_frustrated_from')}', which must be below 1"
        )
    section.finish()
    return found


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
    raw_sustained = section.section("sustained")
    sustained = SustainedAnnoyance(
        annoyed_turns=raw_sustained.integer("annoyed_turns", 0),
        rising_turns=raw_sustained.integer("rising_turns", 0),
        min_rise=raw_sustained.number("min_rise", 0.0, 1.0),
        after_frustrated=raw_sustained.integer("after_frustrated", 0),
    )
    if sustained.rising_turns == 1:
        # One message cannot rise: 1 would switch the rule off without saying so.
        raise raw_sustained.error(
            raw_sustained.name("rising_turns"), "must be 0 (off) or at least 2"
        )
    raw_sustained.finish()
    handoff = Handoff(
        threshold=section.number("threshold", 0.0, 1.0),
        min_turns=section.integer("min_turns", 1),
        sharp_drop=sharp_drop,
        sustained=sustained,
        single_message_threshold=section.number("single_message_threshold", 0.0, 1.0),
        single_message_cues=frozenset(section.texts("single_message_cues")),
    )
    unknown = handoff.single_message_cues - {*CUES, STRONG_DISSATISFACTION}
    if unknown:
        raise section.error(
            section.name("single_message_cues"), f"unknown reasons {sorted(unknown)}"
        )
    section.finish()
    return handoff


def _parse_model(section: Section, path: Path) -> ModelCue:
    files = {}
    for key in ("weights_file", "support_weights_file", "combiner_file"):
        files[key] = PROJECT_ROOT / section.text(key)
        if not files[key].is_file():
            raise ConfigError(f"{path}: 'model.{key}' {files[key]} does not exist")
    model = ModelCue(
        weights_file=files["weights_file"],
        support_weights_file=files["support_weights_file"],
        combiner_file=files["combiner_file"],
        annoyed_share=section.number("annoyed_share", 0.0, 1.0),
        goemotions_share=section.number("goemotions_share", 0.0, 1.0),
        plain_answers=frozenset(answer.lower() for answer in section.texts("plain_answers")),
    )
    section.finish()
    return model


def _parse_damping(section: Section, path: Path) -> PositiveDamping:
    damping = PositiveDamping(
        start=section.number("start", 0.0, 1.0), full_at=section.number("full_at", 0.0, 1.0)
    )
    if damping.full_at <= damping.start:
        raise ConfigError(
            f"{path}: 'positive_damping.full_at' must be above 'positive_damping.start'"
        )
    section.finish()
    return damping


def _parse_sentiment_cap(section: Section) -> SentimentCap:
    cap = SentimentCap(
        min_negative=section.number("min_negative", 0.0, 1.0),
        ceiling=section.number("ceiling", 0.0, 2.0),
    )
    section.finish()
    return cap


def _parse_claims(section: Section) -> ContactClaims:
    claims = ContactClaims(
        counts=section.texts("counts"),
        contact_words=section.texts("contact_words"),
        within=section.integer("within", 1),
    )
    section.finish()
    return claims


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
    """The mood rules of the file (config/handoff.yml unless `path` is given)."""
    return _load(_resolved(path)).frustration


def load_handoff_triggers(path: Path | None = None) -> HandoffTriggers:
    """The mood-independent `triggers` of the file (config/handoff.yml unless `path` is given)."""
    return _load(_resolved(path)).triggers


def _resolved(path: Path | None) -> Path:
    """One cache entry per file, however its path is spelt."""
    return Path(path).resolve() if path is not None else DEFAULT_PATH


@lru_cache(maxsize=8)
def _load(path: Path) -> HandoffFile:
    """Reads and checks one file, once per process and file (parsing takes ~30 ms, too long to
    repeat on every message on the action server's event loop): edit the file, then restart.

    Failures are not cached, so a fixed file loads on the next call.
    """
    return parse_handoff_file(read_yaml(path), path)
