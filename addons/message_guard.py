"""Messages that must not be read as a request: empty ones, and text that looks like code.

Placed last in the NLU pipeline (config.yml), it overrides the classifier's intent:
- a message with no letter or digit (blank, whitespace, emoji only) gets `blank`: the
  assistant asks what the customer needs, and it never counts as a misunderstanding;
- a message that is nothing but an order number, an email address or a refund reference
  gets `inform` (its entities kept): the classifier was unsure of a bare address;
- a message holding SQL or script fragments (`'; DROP TABLE`, `OR 1=1`, `<script`) gets
  `unsafe_input` with its entities removed: the classifier read one such delivery question as
  a cancellation with 0.98 confidence, and text like this must never start an action.

It also drops `order_number` entities that are a phone number, a postcode or an amount
("my phone is +44 7700 900123" is no order 900123; contract/order_mentions.py).

The patterns are the component's configuration (config.yml can replace them); the defaults
need a quote, semicolon or comment marker next to an SQL keyword, so ordinary sentences such
as "delete the old address from my order" pass untouched.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from addons.intent_override import IntentOverride
from contract.order_mentions import is_order_number_at

BLANK_INTENT = "blank"
UNSAFE_INTENT = "unsafe_input"
INFORM_INTENT = "inform"
# Only an identifier (with the punctuation people put around one): the same shapes as the
# entity regexes in data/nlu/regexes.yml.
_IDENTIFIER_ONLY = re.compile(
    r"^\W*(?:#?\s*\d{5,15}|RF-[A-Z0-9]{6}"
    r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})\W*$",
    re.IGNORECASE,
)
DEFAULT_UNSAFE_PATTERNS = (
    r"['\";]\s*(?:drop|delete|insert|update|select|union|alter|truncate|exec|shutdown)\b",
    r"\bunion\s+(?:all\s+)?select\b",
    r"\bdrop\s+(?:table|database)\b",
    r"\bselect\s+(?:\*|\w+(?:\s*,\s*\w+)*)\s+from\s+\w+\s*(?:where\b|;|$)",
    r"\binsert\s+into\b",
    r"['\"]?\s*\b(?:or|and)\s+['\"]?\w+['\"]?\s*=\s*['\"]?\w+",
    r"--\s*$|/\*|\*/",
    r"<\s*/?\s*script\b|\bjavascript:|\bonerror\s*=",
    r"\$\{[^}]*\}|\{\{[^}]*\}\}",
)
# A word character in any script: letters and digits of every language count as content.
_CONTENT = re.compile(r"\w", re.UNICODE)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class MessageGuard(IntentOverride):
    """Overrides the intent of empty, identifier-only and code-like messages (module docstring)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """The patterns that make a message `unsafe_input` (case-insensitive regexes)."""
        return {"unsafe_patterns": list(DEFAULT_UNSAFE_PATTERNS)}

    def __init__(self, config: dict[str, Any]) -> None:
        """Compiles the patterns once."""
        self._unsafe = [re.compile(p, re.IGNORECASE) for p in config["unsafe_patterns"]]

    def verdict(self, text: str) -> str | None:
        """`blank`, `unsafe_input`, `inform`, or None when the classifier's reading stands."""
        if not _CONTENT.search(text):
            return BLANK_INTENT
        if any(pattern.search(text) for pattern in self._unsafe):
            return UNSAFE_INTENT
        if _IDENTIFIER_ONLY.match(text):
            return INFORM_INTENT
        return None

    @staticmethod
    def drop_non_orders(message: Message) -> None:
        """Removes order numbers that are really a phone number, postcode or amount."""
        text = message.get(TEXT) or ""
        entities = message.get(ENTITIES) or []
        kept = [
            entity
            for entity in entities
            if entity.get("entity") != "order_number"
            or not isinstance(entity.get("start"), int)
            or not isinstance(entity.get("end"), int)
            or is_order_number_at(text, entity["start"], entity["end"])
        ]
        if len(kept) != len(entities):
            message.set(ENTITIES, kept, add_to_output=True)

    def process(self, messages: list[Message]) -> list[Message]:
        """Drops non-order numbers; sets the overriding intent with full confidence."""
        for message in messages:
            self.drop_non_orders(message)
            intent = self.verdict(message.get(TEXT) or "")
            if intent is None:
                continue
            self.overrule(message, intent)
            if intent == UNSAFE_INTENT:
                message.set(ENTITIES, [], add_to_output=True)
        return messages
