"""BoundedWhitespaceTokenizer that cuts Korean words into morphemes (kiwipiepy).

Korean glues particles and endings to its words: "환불해주세요", "환불해줘", "환불하고 싶어요" and
"환불신청" share one word, 환불, that whitespace tokens hide inside different strings. Tokens with
Hangul are split by Kiwi's morpheme analyser (lemma: the morpheme, so 해주세요 and 해줘 share
하 / 주); every other token is left to BoundedWhitespaceTokenizer, so English is read exactly
as before. Measured against whitespace tokens + character n-grams in benchmarks/README.md
(Korean section): kept in config.yml only if the figures justify it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.training_data.message import Message

from addons.tokenizer import BoundedWhitespaceTokenizer

_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")


@lru_cache(maxsize=1)
def kiwi() -> Any:
    """The morpheme analyser, loaded once per process (about 4 s and 100 MB)."""
    from kiwipiepy import Kiwi  # type: ignore[import-untyped]

    return Kiwi()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class KoreanMorphemeTokenizer(BoundedWhitespaceTokenizer):
    """Whitespace tokens; those holding Hangul become their morphemes."""

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        """The bounded whitespace tokens, Korean ones split into morphemes (text offsets kept)."""
        tokens: list[Token] = []
        for token in super().tokenize(message, attribute):
            if not _HANGUL.search(token.text):
                tokens.append(token)
                continue
            for morpheme in kiwi().tokenize(token.text):
                start = token.start + morpheme.start
                tokens.append(
                    Token(morpheme.form, start, start + morpheme.len, lemma=morpheme.form)
                )
        return tokens
