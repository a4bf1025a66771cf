"""The project's own conversations (stories, rules, test stories) for the speed-ups that must
give exactly what Rasa gives after every event."""

from __future__ import annotations

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
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
