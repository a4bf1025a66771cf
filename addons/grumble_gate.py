"""A grumble with no request is a complaint: read by its mood, not by its words.

DIET learns complaints from the words of its examples, and the complaints it misses are the
grumbles that carry no request and share no word with them ("you keep letting me down",
"I expected so much better from you"): they fell to `out_of_scope` or the fallback, and the
customer was told the assistant cannot help with that. More examples of the same kind did not
close the gap (issue 22). The mood model (mood/: trained on GoEmotions, it reads disappointment
and disapproval in wording it never saw) does read them as upset.

So, placed after the FallbackClassifier (config.yml), this component turns an `out_of_scope` or
`nlu_fallback` reading into `complain` when all three hold:
- the message reads upset: the mood's frustration reaches the annoyed level of
  config/handoff.yml (`levels.annoyed`, where the message score is calibrated to read "not
  calm"), or `min_frustration` when config.yml sets one;
- it is about the shop or the assistant (`addressed`: "you", "your", "this shop", "my order"),
  so a grumble about the weather or a football team stays out of scope;
- it asks for nothing (`asks`: no question mark, no "can you", "I want", "please", no question
  word first), so "my laptop keeps crashing, can you fix it" stays out of scope, and any
  request the classifier was unsure of still gets the choices (actions/choices.py).
Everything else passes untouched; other intents are never changed. The patterns are English:
Korean messages pass untouched (their complaints are in data/nlu/ko).
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from addons.intent_override import IntentOverride
from mood.analyzer import TurnAnalyzer
from mood.settings import FrustrationSettings, load_frustration_settings

COMPLAIN_INTENT = "complain"
DEFAULT_READINGS = ("out_of_scope", "nlu_fallback")
DEFAULT_ADDRESSED = (
    r"\b(?:you|your|yours|you're|youre|u|ur|yall|y'all|shop\w*|store|company|firm|business"
    r"|service|orders?|experience)\b"
)
DEFAULT_ASKS = (
    r"\?"
    r"|^\W*(?:do|does|did|can|could|will|would|are|is|have|has|how|what|where|when|who"
    r"|please)\b"
    r"|\b(?:i want|i wanna|i need|i'd like|i would like|please|can you|could you|would you"
    r"|help me|need to|trying to)\b"
)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class GrumbleGate(IntentOverride):
    """Reads an upset, request-free remark about the shop as `complain` (module docstring)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Which readings it may replace, and the mood level and patterns it needs (no
        `min_frustration`: the annoyed level of config/handoff.yml)."""
        return {
            "readings": list(DEFAULT_READINGS),
            "min_frustration": None,
            "addressed": DEFAULT_ADDRESSED,
            "asks": DEFAULT_ASKS,
        }

    def __init__(self, config: dict[str, Any], settings: FrustrationSettings | None = None) -> None:
        """Compiles the patterns once; the mood settings (config/handoff.yml) and analyzer are
        loaded once per model load unless settings are given."""
        mood = settings or load_frustration_settings()
        level = config["min_frustration"]
        self._readings = frozenset(config["readings"])
        self._min_frustration = mood.levels.annoyed if level is None else float(level)
        self._addressed = re.compile(config["addressed"], re.IGNORECASE)
        self._asks = re.compile(config["asks"], re.IGNORECASE)
        self._analyzer = TurnAnalyzer(mood)

    def is_grumble(self, text: str) -> bool:
        """About the shop, asking for nothing, and upset (cheap tests first)."""
        return (
            self._addressed.search(text) is not None
            and self._asks.search(text) is None
            and self._analyzer.analyze(text).frustration >= self._min_frustration
        )

    def process(self, messages: list[Message]) -> list[Message]:
        """Replaces an out-of-scope or unsure reading of a grumble with `complain`."""
        for message in messages:
            intent = message.get(INTENT) or {}
            if intent.get("name") not in self._readings:
                continue
            if not self.is_grumble(message.get(TEXT) or ""):
                continue
            self.overrule(message, COMPLAIN_INTENT, keep_ranking=True)
        return messages
