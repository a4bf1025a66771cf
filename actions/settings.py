"""The action server's settings, each read once per process through the settings kit.

- the Redis connection, from the environment (`load_settings`);
- config/identity.yml: how ownership of an order is proven (`load_identity_settings`);
- config/refund.yml: what counts as a refund reason in the customer's words
  (`load_refund_wording`);
- config/choices.yml: the requests offered as buttons when a message is unclear
  (`load_choice_settings`);
- config/confirmation.yml: a yes worded as the request again (`load_confirmation_words`).

Read on first use (not at import) so tests can set the environment first. The handoff rules'
settings come from the one reader of config/handoff.yml (`mood.settings`) and the topics from
config/topics.yml (`contract.topics`), since the agent desk reads the same files; the shop
client reads its own variables (`ShopClient.from_environment`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network
from pathlib import Path

from actions.guess_limits import WrongEmailLimits
from contract.language import KOREAN
from settings.env import PROJECT_ROOT, Env
from settings.yaml_file import Section, read_yaml

IDENTITY_PATH = PROJECT_ROOT / "config" / "identity.yml"
REFUND_PATH = PROJECT_ROOT / "config" / "refund.yml"
CHOICES_PATH = PROJECT_ROOT / "config" / "choices.yml"
CONFIRMATION_PATH = PROJECT_ROOT / "config" / "confirmation.yml"


@dataclass(frozen=True)
class Settings:
    """Connection settings of the action server."""

    redis_url: str
    # RATE_LIMIT_EXEMPT_ADDRESSES: client addresses no per-address limit applies to (tests).
    exempt_addresses: tuple[IPv4Network | IPv6Network, ...] = ()


@dataclass(frozen=True)
class IdentitySettings:
    """How ownership is proven (see config/identity.yml)."""

    max_attempts: int
    remembered_channels: frozenset[str]
    remember_s: int
    token_channels: frozenset[str]
    wrong_email_limits: WrongEmailLimits


@dataclass(frozen=True)
class RefundWording:
    """What counts as a reason in the customer's words (see config/refund.yml)."""

    reason_cues: tuple[str, ...]
    not_a_reason: frozenset[str]


@dataclass(frozen=True)
class ChoiceSettings:
    """The requests offered when a message is unclear (see config/choices.yml)."""

    min_confidence: float
    max_choices: int
    labels: dict[str, str]
    something_else: str
    about_an_order: tuple[str, ...]
    korean_labels: dict[str, str]
    korean_something_else: str

    def label(self, intent: str, language: str) -> str:
        """The button's words for `intent` in the conversation's language."""
        return (self.korean_labels if language == KOREAN else self.labels)[intent]

    def none_of_these(self, language: str) -> str:
        """The last button's words in the conversation's language."""
        return self.korean_something_else if language == KOREAN else self.something_else


@dataclass(frozen=True)
class ConfirmationWords:
    """The words that make a repeated request a yes, or keep it from being one (see
    config/confirmation.yml)."""

    yes_words: frozenset[str]
    not_words: frozenset[str]


@lru_cache(maxsize=1)
def load_settings() -> Settings:
    """Read the settings once per process."""
    env = Env()
    return Settings(
        redis_url=env.redis_url(), exempt_addresses=env.networks("RATE_LIMIT_EXEMPT_ADDRESSES")
    )


@lru_cache(maxsize=4)
def load_identity_settings(path: Path = IDENTITY_PATH) -> IdentitySettings:
    """Reads config/identity.yml; a wrong file fails at start-up naming the bad key."""
    raw = Section(read_yaml(path), "", path)
    limits = raw.section("wrong_email_limits")
    settings = IdentitySettings(
        max_attempts=raw.integer("max_attempts", 1),
        remembered_channels=frozenset(raw.texts("remembered_channels")),
        remember_s=int(raw.number("remember_hours", 0.0) * 3600),
        token_channels=frozenset(raw.texts("token_channels")),
        wrong_email_limits=WrongEmailLimits(
            per_sender=limits.rate_limit("per_sender"),
            per_order=limits.rate_limit("per_order"),
            per_address=limits.rate_limit("per_address"),
        ),
    )
    limits.finish()
    raw.finish()
    return settings


@lru_cache(maxsize=4)
def load_refund_wording(path: Path = REFUND_PATH) -> RefundWording:
    """Reads config/refund.yml."""
    raw = Section(read_yaml(path), "", path)
    wording = RefundWording(
        reason_cues=tuple(cue.lower() for cue in raw.texts("reason_cues")),
        not_a_reason=frozenset(word.lower() for word in raw.texts("not_a_reason")),
    )
    raw.finish()
    return wording


@lru_cache(maxsize=4)
def load_choice_settings(path: Path = CHOICES_PATH) -> ChoiceSettings:
    """Reads config/choices.yml; an order request without a label is an error."""
    raw = Section(read_yaml(path), "", path)
    labels_section = raw.section("labels")
    labels = {intent: labels_section.text(intent) for intent in labels_section.keys()}
    labels_section.finish()
    korean_section = raw.section("labels_ko")
    korean = {intent: korean_section.text(intent) for intent in korean_section.keys()}
    korean_section.finish()
    if set(korean) != set(labels):
        raise raw.error("labels_ko", f"must label the same intents as labels: {sorted(labels)}")
    about = raw.texts("about_an_order")
    unlabelled = [intent for intent in about if intent not in labels]
    if unlabelled:
        raise raw.error("about_an_order", f"names intents without a label: {unlabelled}")
    settings = ChoiceSettings(
        min_confidence=raw.number("min_confidence", 0.0, 1.0),
        max_choices=raw.integer("max_choices", 1),
        labels=labels,
        something_else=raw.text("something_else"),
        about_an_order=about,
        korean_labels=korean,
        korean_something_else=raw.text("something_else_ko"),
    )
    raw.finish()
    return settings


@lru_cache(maxsize=4)
def load_confirmation_words(path: Path = CONFIRMATION_PATH) -> ConfirmationWords:
    """Reads config/confirmation.yml."""
    raw = Section(read_yaml(path), "", path)
    words = ConfirmationWords(
        yes_words=frozenset(word.lower() for word in raw.texts("yes_words")),
        not_words=frozenset(word.lower() for word in raw.texts("not_words")),
    )
    raw.finish()
    return words
