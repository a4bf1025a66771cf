"""Rasa's WhitespaceTokenizer with noise cut short and identifiers read by their kind.

Two things in a message carry no intent in their characters, yet fed DIET's word and character
n-gram features as if they did:
- a pasted run of one character ("where is my parcel aaaa...", 20,000 characters) gave the
  character n-gram featurizer one token with tens of thousands of identical n-grams, and DIET
  answered `request_human` with full confidence: a handoff nobody asked for. A token longer than
  `max_token_chars` keeps its start only; no real word, address or number comes near the limit;
- an email address or a refund reference is a different string in every conversation, so its
  letters are noise: "hi, bob@example.com here. where is my parcel?" was read as `greet`
  (0.80) while the same message with the address left out was `check_delivery` (0.97). The
  featurizers read a token's lemma (CountVectorsFeaturizer's `use_lemma`), so such a token's
  lemma becomes a fixed placeholder (`__email__`, `__refund_reference__`): the classifier
  learns that an address was given, never whose. CountVectorsFeaturizer already does the same
  for numbers (`__NUMBER__`), which covers order numbers.
The token's text and offsets, and the message text itself, are untouched: the entity regexes
(data/nlu/regexes.yml), RegexFeaturizer and the mood analyser read those.

Words are never taken for emoji: Rasa's WhitespaceTokenizer drops every token that its emoji
pattern matches in full, and that pattern's range U+24C2..U+1F251 holds all of Hangul (and
CJK). "10001 배송 조회요" reached DIET as "10001" alone, so every Korean request with an order
number was read as the same message. A token with a letter in it is kept.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

# A letter of any script (Hangul, CJK, Latin...): such a token is a word, never an emoji.
_LETTER = re.compile(r"[^\W\d_]")

# Whole-token shapes of the identifiers in data/nlu/regexes.yml, with the lemma each gets.
IDENTIFIER_LEMMAS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"),
        "__email__",
    ),
    (re.compile(r"#?RF-[A-Z0-9]{6}", re.IGNORECASE), "__refund_reference__"),
)


def identifier_lemma(text: str) -> str | None:
    """The placeholder for a token that is wholly an email address or refund reference."""
    for pattern, lemma in IDENTIFIER_LEMMAS:
        if pattern.fullmatch(text):
            return lemma
    return None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class BoundedWhitespaceTokenizer(WhitespaceTokenizer):
    """Splits like WhitespaceTokenizer; long tokens are cut, identifiers get a placeholder lemma."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """WhitespaceTokenizer's options plus the longest token passed on."""
        return {**WhitespaceTokenizer.get_default_config(), "max_token_chars": 50}

    def __init__(self, config: dict[str, Any]) -> None:
        """Keeps the limit from the configuration."""
        super().__init__(config)
        self._max_chars = int(config["max_token_chars"])

    def remove_emoji(self, text: str) -> str:
        """Drops a token that is only emoji; a token with a letter is a word and stays."""
        if _LETTER.search(text):
            return text
        return str(super().remove_emoji(text) or "")

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        """The whitespace tokens (offsets those of the text), cut and lemmatised as above."""
        return [self._bounded(token) for token in super().tokenize(message, attribute)]

    def _bounded(self, token: Token) -> Token:
        """The token with its identifier placeholder as lemma, or cut to `max_token_chars`."""
        lemma = identifier_lemma(token.text)
        if lemma is not None:
            return Token(token.text, token.start, token.end, data=token.data, lemma=lemma)
        if len(token.text) > self._max_chars:
            return Token(token.text[: self._max_chars], token.start, data=token.data)
        return token
