"""Rasa's WhitespaceTokenizer with every token cut to a word's length.

A customer who pastes a long run of one character ("where is my parcel aaaa...", 20,000
characters) gave the character n-gram featurizer one token with tens of thousands of identical
n-grams, and DIET answered `request_human` with full confidence: a handoff nobody asked for.
No word, email address or order number is anywhere near `max_token_chars`, so cutting tokens
there changes nothing for real messages and keeps noise from outweighing the words around it.
The message text itself is untouched (the mood analyser and the entity regexes read it).
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class BoundedWhitespaceTokenizer(WhitespaceTokenizer):
    """Splits like WhitespaceTokenizer; a token longer than `max_token_chars` keeps its start."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """WhitespaceTokenizer's options plus the longest token passed on."""
        return {**WhitespaceTokenizer.get_default_config(), "max_token_chars": 50}

    def __init__(self, config: dict[str, Any]) -> None:
        """Keeps the limit from the configuration."""
        super().__init__(config)
        self._max_chars = int(config["max_token_chars"])

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        """The whitespace tokens, each cut to `max_token_chars` (offsets stay those of the text)."""
        tokens = super().tokenize(message, attribute)
        return [
            Token(token.text[: self._max_chars], token.start, data=token.data)
            if len(token.text) > self._max_chars
            else token
            for token in tokens
        ]
