"""The base of the NLU components that may overrule the classifier's intent after it ran.

`MessageGuard` (blank and code-like messages) and `GrumbleGate` (upset remarks with no request)
both sit after DIET and the FallbackClassifier in config.yml, are built from their config alone
and write their verdict the same way; each registers itself with Rasa's recipe.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message


class IntentOverride(GraphComponent, IntentClassifier):
    """An untrained component that may replace the intent the classifiers chose."""

    @classmethod
    def required_components(cls) -> list[type]:
        """Runs after the classifiers whose answer it may replace."""
        return [IntentClassifier]

    def __init__(self, config: dict[str, Any]) -> None:
        """Subclasses read their configuration here."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> IntentOverride:
        """Rasa builds the component from its config."""
        return cls(config)

    @staticmethod
    def overrule(message: Message, intent: str, keep_ranking: bool = False) -> None:
        """Sets `intent` with full confidence, first in the ranking; the classifier's other
        candidates stay below it only with `keep_ranking`."""
        prediction = {"name": intent, "confidence": 1.0}
        ranking = (message.get(INTENT_RANKING_KEY) or []) if keep_ranking else []
        rest = [r for r in ranking if r.get("name") != intent]
        message.set(INTENT, prediction, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [prediction, *rest], add_to_output=True)
