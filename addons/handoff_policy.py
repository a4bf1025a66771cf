"""A policy that hands the conversation to a person whenever the handoff slot asks for it.

Every handoff trigger (the customer asks for a person, frustration, repeated contact, repeated
failure) is decided in the action server after each user message and written to the
`live_agent_handoff` slot. This policy turns that slot into the next action, whatever intent
or form is active, so no trigger needs rules or stories of its own and a person can be reached
from any point of any flow.

A customer who has stayed annoyed is first offered a person (`person_offered`, set the same
way): the offer action runs before the turn's answer and takes itself back out of what the
other policies read (actions/offer.py), so the flow answers as if it had not been said.
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

from contract.slots import LIVE_AGENT_HANDOFF, PERSON_OFFERED


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
            "offer_slot": PERSON_OFFERED,
            "offer_action": "action_offer_person",
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
        self._offer_slot: str = config.get("offer_slot", PERSON_OFFERED)
        self._offer_action: str = config.get("offer_action", "action_offer_person")

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
        The offer of a person comes once, right after the user turn that set its slot; the
        offer action reverts itself, so the latest action read here is action_listen again
        and the raw events tell that it has been said.
        """
        probabilities = self._default_predictions(domain)
        latest = tracker.latest_action_name
        if latest == ACTION_LISTEN_NAME and tracker.get_slot(self._slot) is True:
            probabilities[domain.index_for_action(self._action)] = 1.0
        elif (
            latest == ACTION_LISTEN_NAME
            and tracker.get_slot(self._offer_slot) is True
            and not _ran_since_user(tracker, self._offer_action)
        ):
            probabilities[domain.index_for_action(self._offer_action)] = 1.0
        elif latest == self._action:
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
