"""The project's own conversations (stories, rules, test stories) for the speed-ups that must
give exactly what Rasa gives after every event."""

from __future__ import annotations

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    ConversationPaused,
    ConversationResumed,
    Event,
    FollowupAction,
    Restarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.generator import TrainingDataGenerator
from rasa.shared.importers.importer import TrainingDataImporter

from settings.env import PROJECT_ROOT


@pytest.fixture(scope="module")
def importer() -> TrainingDataImporter:
    return TrainingDataImporter.load_from_dict(
        domain_path=str(PROJECT_ROOT / "domain"),
        training_data_paths=[
            str(PROJECT_ROOT / "data" / "stories"),
            str(PROJECT_ROOT / "data" / "rules"),
            str(PROJECT_ROOT / "tests" / "test_stories.yml"),
        ],
    )


@pytest.fixture(scope="module")
def domain(importer: TrainingDataImporter) -> Domain:
    return importer.get_domain()


@pytest.fixture(scope="module")
def conversations(importer: TrainingDataImporter, domain: Domain) -> list[list[Event]]:
    """Every story, rule and test story of the project as a conversation: forms that run,
    are interrupted and resume, handoffs, fallbacks."""
    trackers = TrainingDataGenerator(importer.get_stories(), domain, augmentation_factor=0)
    return [list(tracker.events) for tracker in trackers.generate()]


@pytest.fixture(scope="module")
def rare_events() -> list[Event]:
    """What the stories lack, in one conversation: a form's action run before the form is
    activated, a rejected form, a followup action, a handoff's pause and resume, rewinds of a
    message and of an action, a form run again, a restart."""
    intent = {"name": "request_refund", "confidence": 0.9}
    return [
        ActionExecuted("action_listen"),
        UserUttered("refund please", intent, [], {"intent": intent, "entities": []}),
        ActionExecuted("refund_form"),
        ActiveLoop("refund_form"),
        ActionExecutionRejected("refund_form"),
        FollowupAction("action_handoff"),
        ActionExecuted("action_handoff"),
        ConversationPaused(),
        UserUttered("hello?", intent),
        ConversationResumed(),
        UserUtteranceReverted(),
        ActionExecuted("action_listen"),
        UserUttered("refund please", intent),
        ActionExecuted("refund_form"),
        SlotSet("email", "a@example.com"),
        ActionExecuted("refund_form"),
        ActionReverted(),
        ActionExecuted("refund_form"),
        ActiveLoop(None),
        ActionExecuted("missing_parcel_form"),
        ActiveLoop("missing_parcel_form"),
        ActionExecuted("missing_parcel_form"),
        Restarted(),
        SlotSet("email", "b@example.com"),
    ]
