"""The handoff policy (addons/handoff_policy.py) on trackers built in the test.

The action server only sets `live_agent_handoff`; this policy is what makes the assistant hand
over. Switched off or off by one turn, every trigger still sets the slot and nobody is told, so
each case asserts the exact action predicted, with the real domain and the policy configured as
in config.yml.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    BotUttered,
    Event,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from addons.handoff_policy import HandoffPolicy
from contract.slots import HANDOFF_REASON, LIVE_AGENT_HANDOFF, PERSON_OFFERED
from harness.helpers import REPO_ROOT

HANDOFF_ACTION = "action_handoff"
OFFER_ACTION = "action_offer_person"
POLICY_NAME = "addons.handoff_policy.HandoffPolicy"


@pytest.fixture(scope="module")
def domain() -> Domain:
    """The real domain, as the trained model has it."""
    return Domain.load(str(REPO_ROOT / "domain"))


def configured(slot: str = LIVE_AGENT_HANDOFF) -> dict[str, Any]:
    """The policy's configuration as Rasa builds it: defaults, then config.yml's entry for
    `slot` (the same policy also routes a satisfaction comment: domain/csat.yml)."""
    config = yaml.safe_load((REPO_ROOT / "config.yml").read_text(encoding="utf-8"))
    defaults = HandoffPolicy.get_default_config()
    [entry] = [
        p
        for p in config["policies"]
        if p["name"] == POLICY_NAME and p.get("slot", defaults["slot"]) == slot
    ]
    overrides = {key: value for key, value in entry.items() if key != "name"}
    return {**defaults, **overrides}


@pytest.fixture(scope="module")
def policy(tmp_path_factory: pytest.TempPathFactory) -> HandoffPolicy:
    """The policy built the way the model's graph builds it (nothing to train)."""
    storage = LocalModelStorage(Path(tmp_path_factory.mktemp("model")))
    context = ExecutionContext(GraphSchema({}), "test-model")
    return HandoffPolicy(configured(), storage, Resource("handoff_policy"), context)


def tracker(domain: Domain, *events: Event) -> DialogueStateTracker:
    """A conversation with `events` after the session start, slots as in the domain."""
    return DialogueStateTracker.from_events(
        "policy-test", [ActionExecuted(ACTION_LISTEN_NAME), *events], slots=domain.slots
    )


def user(intent: str, text: str = "...") -> UserUttered:
    """A customer's message with its intent."""
    return UserUttered(text, intent={"name": intent, "confidence": 1.0})


def handoff_set(reason: str) -> list[Event]:
    """What action_analyze_turn returns during slot extraction when it decides to hand over."""
    return [SlotSet(LIVE_AGENT_HANDOFF, True), SlotSet(HANDOFF_REASON, reason)]


def predicted(prediction: PolicyPrediction, domain: Domain) -> str | None:
    """The one action predicted with confidence 1, or None when the policy abstains (all 0)."""
    chosen = [i for i, p in enumerate(prediction.probabilities) if p > 0]
    if not chosen:
        return None
    [index] = chosen
    assert prediction.probabilities[index] == 1.0
    return str(domain.action_names_or_texts[index])


def likeliest(prediction: PolicyPrediction, domain: Domain) -> str:
    """The action with the highest probability (RulePolicy also gives the fallback some)."""
    probabilities = prediction.probabilities
    return str(domain.action_names_or_texts[probabilities.index(max(probabilities))])


def predict(
    policy: HandoffPolicy, conversation: DialogueStateTracker, domain: Domain
) -> str | None:
    """The policy's prediction for the next action."""
    return predicted(policy.predict_action_probabilities(conversation, domain), domain)


def test_the_slot_set_by_this_message_hands_over(policy: HandoffPolicy, domain: Domain) -> None:
    conversation = tracker(domain, user("request_human"), *handoff_set("customer_request"))
    assert predict(policy, conversation, domain) == HANDOFF_ACTION


@pytest.mark.parametrize("reason", ["frustration", "repeated_contact", "repeated_failure"])
def test_every_reason_hands_over_the_same_way(
    policy: HandoffPolicy, domain: Domain, reason: str
) -> None:
    conversation = tracker(domain, user("check_delivery"), *handoff_set(reason))
    assert predict(policy, conversation, domain) == HANDOFF_ACTION


def test_nothing_is_predicted_when_the_slot_is_not_set(
    policy: HandoffPolicy, domain: Domain
) -> None:
    assert predict(policy, tracker(domain, user("check_delivery")), domain) is None
    cleared = tracker(domain, user("check_delivery"), SlotSet(LIVE_AGENT_HANDOFF, False))
    assert predict(policy, cleared, domain) is None


def test_after_the_handoff_action_the_assistant_listens(
    policy: HandoffPolicy, domain: Domain
) -> None:
    """Never the handoff twice for one message, even when it could not pause the conversation."""
    conversation = tracker(
        domain,
        user("request_human"),
        *handoff_set("customer_request"),
        ActionExecuted(HANDOFF_ACTION),
    )
    assert predict(policy, conversation, domain) == ACTION_LISTEN_NAME


def test_the_slot_set_earlier_does_not_hand_over_after_another_action(
    policy: HandoffPolicy, domain: Domain
) -> None:
    """The policy acts right after the user turn only; later predictions are the others'."""
    conversation = tracker(
        domain,
        user("request_human"),
        *handoff_set("customer_request"),
        ActionExecuted("utter_greet"),
    )
    assert predict(policy, conversation, domain) is None


def test_a_conversation_that_could_not_be_paused_hands_over_again_next_message(
    policy: HandoffPolicy, domain: Domain
) -> None:
    """No ticket store: the slot stays set, so the customer's next message tries again."""
    conversation = tracker(
        domain,
        user("request_human"),
        *handoff_set("customer_request"),
        ActionExecuted(HANDOFF_ACTION),
        ActionExecuted(ACTION_LISTEN_NAME),
        user("greet", "hello?"),
    )
    assert predict(policy, conversation, domain) == HANDOFF_ACTION


@pytest.fixture(scope="module")
def rule_policy(tmp_path_factory: pytest.TempPathFactory, domain: Domain) -> RulePolicy:
    """Rasa's RulePolicy with no rules: inside a form it still predicts the form's next step."""
    storage = LocalModelStorage(Path(tmp_path_factory.mktemp("rules")))
    context = ExecutionContext(GraphSchema({}), "test-model")
    rules = RulePolicy.create(RulePolicy.get_default_config(), storage, Resource("rules"), context)
    rules.train([], domain)
    return rules


def in_form(
    domain: Domain, requested: str, answer: UserUttered, reason: str
) -> DialogueStateTracker:
    """A refund form asking for `requested`; the customer's `answer` set the handoff slot."""
    return tracker(
        domain,
        user("request_refund"),
        ActionExecuted("refund_form"),
        ActiveLoop("refund_form"),
        SlotSet("requested_slot", requested),
        ActionExecuted(ACTION_LISTEN_NAME),
        answer,
        *handoff_set(reason),
    )


@pytest.mark.parametrize(
    ("requested", "answer", "reason"),
    [
        ("order_number", user("request_human", "actually, a person please"), "customer_request"),
        # Typed where the email on the order was asked: the form takes any text as its
        # answer, so RulePolicy is sure the form goes on ("that's not an email").
        ("owner_email", user("complain", "I've asked twice already!!"), "repeated_contact"),
        ("owner_email", user("out_of_scope", "UNACCEPTABLE. useless."), "frustration"),
    ],
)
def test_a_handoff_interrupts_an_active_form(
    policy: HandoffPolicy,
    rule_policy: RulePolicy,
    domain: Domain,
    requested: str,
    answer: UserUttered,
    reason: str,
) -> None:
    """Both are sure; the ensemble as Rasa runs it must pick the handoff."""
    conversation = in_form(domain, requested, answer, reason)
    from_rules = rule_policy.predict_action_probabilities(conversation, domain)
    assert likeliest(from_rules, domain) == "refund_form"
    assert from_rules.max_confidence == 1.0
    ours = policy.predict_action_probabilities(conversation, domain)
    winner = DefaultPolicyPredictionEnsemble().combine_predictions(
        [from_rules, ours], conversation, domain
    )
    assert winner.policy_name == "HandoffPolicy"
    assert predicted(winner, domain) == HANDOFF_ACTION


def test_the_message_after_a_rating_is_its_comment_whatever_its_intent(
    domain: Domain, tmp_path: Path
) -> None:
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test-model")
    comments = HandoffPolicy(
        configured("csat_comment_open"), storage, Resource("csat_comment"), context
    )
    rated = [
        user("rate_conversation", '/rate_conversation{"csat_score": 2}'),
        ActionExecuted("action_record_csat"),
        SlotSet("csat_comment_open", True),
        ActionExecuted(ACTION_LISTEN_NAME),
    ]
    conversation = tracker(domain, *rated, user("check_delivery", "the parcel was late again"))
    assert predict(comments, conversation, domain) == "action_record_csat_comment"
    conversation.update(ActionExecuted("action_record_csat_comment"))
    conversation.update(SlotSet("csat_comment_open", False))
    assert predict(comments, conversation, domain) == ACTION_LISTEN_NAME
    later = [ActionExecuted(ACTION_LISTEN_NAME), user("check_delivery")]
    for event in later:
        conversation.update(event)
    assert predict(comments, conversation, domain) is None
    # A handoff outranks it (priority 7 over 6): an upset comment reaches a person.
    assert comments.priority < configured()["priority"]


def test_without_the_handoff_the_form_goes_on(
    policy: HandoffPolicy, rule_policy: RulePolicy, domain: Domain
) -> None:
    """The handoff's rank must not push aside the form when nobody asked for a person."""
    conversation = in_form(domain, "owner_email", user("inform", "bob@example.com"), "none")
    conversation.update(SlotSet(LIVE_AGENT_HANDOFF, False))
    predictions = [
        rule_policy.predict_action_probabilities(conversation, domain),
        policy.predict_action_probabilities(conversation, domain),
    ]
    winner = DefaultPolicyPredictionEnsemble().combine_predictions(
        predictions, conversation, domain
    )
    assert likeliest(winner, domain) == "refund_form"


@pytest.fixture(scope="module")
def offer_policy(tmp_path_factory: pytest.TempPathFactory) -> HandoffPolicy:
    """The policy as config.yml configures it for the offer of a person."""
    storage = LocalModelStorage(Path(tmp_path_factory.mktemp("offer")))
    context = ExecutionContext(GraphSchema({}), "test-model")
    return HandoffPolicy(configured(PERSON_OFFERED), storage, Resource("offer"), context)


def offered(*events: Event) -> list[Event]:
    """What action_offer_person (actions/offer.py) leaves in the tracker: the line, then the
    action taken back out of the dialogue state."""
    return [ActionExecuted(OFFER_ACTION), BotUttered("a person?"), ActionReverted(), *events]


def test_the_offer_slot_has_a_person_offered_before_the_answer(
    offer_policy: HandoffPolicy, domain: Domain
) -> None:
    conversation = tracker(domain, user("check_delivery"), SlotSet(PERSON_OFFERED, True))
    assert predict(offer_policy, conversation, domain) == OFFER_ACTION


def test_after_the_offer_the_turn_reads_as_before_it(
    offer_policy: HandoffPolicy, domain: Domain
) -> None:
    """The reverted offer leaves action_listen as the latest action, so the rules answer the
    message as if nothing had been said; the policy does not offer twice."""
    conversation = tracker(
        domain, user("check_delivery"), SlotSet(PERSON_OFFERED, True), *offered()
    )
    assert conversation.latest_action_name == ACTION_LISTEN_NAME
    assert conversation.latest_message.intent["name"] == "check_delivery"
    assert predict(offer_policy, conversation, domain) is None


def test_the_offer_comes_once_and_the_handoff_outranks_it(
    policy: HandoffPolicy, offer_policy: HandoffPolicy, domain: Domain
) -> None:
    cleared = tracker(
        domain,
        user("check_delivery"),
        SlotSet(PERSON_OFFERED, True),
        *offered(ActionExecuted("utter_ok"), ActionExecuted(ACTION_LISTEN_NAME)),
        user("check_delivery", "still waiting"),
        SlotSet(PERSON_OFFERED, False),
    )
    assert predict(offer_policy, cleared, domain) is None
    both = tracker(
        domain, user("check_delivery"), SlotSet(PERSON_OFFERED, True), *handoff_set("frustration")
    )
    winner = DefaultPolicyPredictionEnsemble().combine_predictions(
        [
            offer_policy.predict_action_probabilities(both, domain),
            policy.predict_action_probabilities(both, domain),
        ],
        both,
        domain,
    )
    assert predicted(winner, domain) == HANDOFF_ACTION
