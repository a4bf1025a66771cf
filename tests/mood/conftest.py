"""The real configuration and one analyser for every frustration test (building it takes ~1 s)."""

from __future__ import annotations

import pytest

from mood.analyzer import TurnAnalyzer
from mood.settings import FrustrationSettings, load_frustration_settings


@pytest.fixture(scope="session")
def settings() -> FrustrationSettings:
    """config/handoff.yml as shipped: the tests judge the behaviour customers get."""
    return load_frustration_settings()


@pytest.fixture(scope="session")
def analyzer(settings: FrustrationSettings) -> TurnAnalyzer:
    """The analyser built from the shipped configuration; it holds no per-conversation state."""
    return TurnAnalyzer(settings)
