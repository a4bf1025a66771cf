"""A policy that hands the conversation to a person whenever the handoff slot asks for it.

Every handoff trigger (the customer asks for a person, frustration, repeated contact, repeated
failure) is decided in the action server after each user message and written to the
`live_agent_handoff` slot. This policy turns that slot into the next action, whatever intent
or form is active, so no trigger needs rules or stories of its own and a person can be reached
from any point of any flow.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from contract.slots import LIVE_AGENT_HANDOFF


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False
)
class HandoffPolicy(Policy):
    """Predicts the handoff action right after a user turn that set the handoff slot."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Outranks RulePolicy (priority 4 in Rasa 3.6) so a handoff interrupts active forms."""
        return {
            "priority": 7,
            "slot": LIVE_AGENT_HANDOFF,
            "action": "action_handoff",
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        featurizer: Any | None = None,
    ) -> None:
        """Keeps the slot and action names from the configuration."""
        super().__init__(config, model_storage, resource, execution_context, featurizer)
        self._slot: str = config["slot"]
        self._action: str = config["action"]

    def train(
        self,
        training_trackers: list[TrackerWithCachedStates],
        domain: Domain,
        **kwargs: Any,
    ) -> Resource:
        """Nothing to learn: the decision is made in the action server."""
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        """Predicts the handoff action once per user turn while the slot is set, then listening.

        The handoff action normally pauses the conversation, which stops predictions; when it
        could not (no ticket store), the assistant must wait for the customer, not guess on.

        The handoff is a "no user" prediction, as RulePolicy's "the active form goes on" is:
        Rasa's ensemble ranks those above every other prediction whatever its priority, so
        without the flag any message a form takes as its answer ("I've asked twice already"
        typed where an email was asked) kept the customer in the form, the slot set and
        nobody told. Between the two, the priority decides.

        An action that reverts itself (the offer of a person, actions/offer.py) leaves
        action_listen as the latest action; the raw events tell that it ran for this message,
        so it is not predicted again.
        """
        probabilities = self._default_predictions(domain)
        latest = tracker.latest_action_name
        if (
            latest == ACTION_LISTEN_NAME
            and tracker.get_slot(self._slot) is True
            and not _ran_since_user(tracker, self._action)
        ):
            probabilities[domain.index_for_action(self._action)] = 1.0
            return self._prediction(probabilities, is_no_user_prediction=True)
        if latest == self._action:
            probabilities[domain.index_for_action(ACTION_LISTEN_NAME)] = 1.0
        return self._prediction(probabilities)


def _ran_since_user(tracker: DialogueStateTracker, action: str) -> bool:
    """`action` ran after the latest user message (reverted actions included)."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, ActionExecuted) and event.action_name == action:
            return True
    return False
