"""The grumble gate: an upset remark about the shop that asks for nothing becomes `complain`;
requests, remarks about anything else, calm messages and other intents pass untouched. The real
mood analyzer (config/handoff.yml, the shipped weights) reads every message here. Written for
this project; none of these sentences is in the training data or the evaluation sets."""

from __future__ import annotations

from dataclasses import replace

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from addons.grumble_gate import GrumbleGate
from mood.settings import FrustrationSettings, load_frustration_settings


@pytest.fixture(scope="module")
def mood() -> FrustrationSettings:
    """The shipped mood settings (config/handoff.yml)."""
    return load_frustration_settings()


@pytest.fixture(scope="module")
def gate(mood: FrustrationSettings) -> GrumbleGate:
    """The gate with its default configuration, as config.yml runs it."""
    return GrumbleGate(GrumbleGate.get_default_config(), mood)


def _read(gate: GrumbleGate, text: str, intent: str, confidence: float = 0.6) -> Message:
    ranking = [{"name": intent, "confidence": confidence}, {"name": "complain", "confidence": 0.2}]
    message = Message(data={TEXT: text, INTENT: ranking[0], INTENT_RANKING_KEY: ranking})
    [processed] = gate.process([message])
    return processed


@pytest.mark.parametrize(
    "text",
    ["you have disappointed me so many times now", "your shop is a total shambles",
     "I'm fed up with you, nothing ever arrives right"],
)  # fmt: skip
@pytest.mark.parametrize("reading", ["out_of_scope", "nlu_fallback"])
def test_an_upset_remark_about_the_shop_is_a_complaint(
    gate: GrumbleGate, text: str, reading: str
) -> None:
    processed = _read(gate, text, reading)
    assert processed.get(INTENT) == {"name": "complain", "confidence": 1.0}
    assert [r["name"] for r in processed.get(INTENT_RANKING_KEY)] == ["complain", reading]


@pytest.mark.parametrize(
    "text",
    [
        # Upset, but about something else.
        "the rain today is absolutely horrible",
        "my sister is so annoying",
        # About the shop, upset, but asking for something.
        "your app is broken, can you fix it",
        "why does your site keep crashing?",
        "I want to close my account with you, I'm fed up",
        # About the shop, and calm.
        "do you sell gift cards",
        "I like your shop",
        # Korean: the patterns are English.
        "너무 실망했어요",
    ],
)
def test_other_remarks_keep_their_reading(gate: GrumbleGate, text: str) -> None:
    assert _read(gate, text, "out_of_scope").get(INTENT)["name"] == "out_of_scope"


def test_a_confident_request_is_never_changed(gate: GrumbleGate) -> None:
    processed = _read(gate, "you keep losing my parcels", "check_delivery", 0.9)
    assert processed.get(INTENT) == {"name": "check_delivery", "confidence": 0.9}


def test_the_mood_level_is_configuration(gate: GrumbleGate, mood: FrustrationSettings) -> None:
    strict = GrumbleGate({**GrumbleGate.get_default_config(), "min_frustration": 1.01}, mood)
    text = "you have disappointed me so many times now"
    assert gate.is_grumble(text)
    assert not strict.is_grumble(text)


def test_upset_means_the_annoyed_level_of_the_mood_settings(mood: FrustrationSettings) -> None:
    """Without `min_frustration` the gate follows config/handoff.yml: with the annoyed level
    (and the combined score that reaches it) raised above every message, no remark reads upset."""
    text = "you have disappointed me so many times now"
    levels = replace(
        mood.levels,
        annoyed=0.99,
        frustrated=0.995,
        message_annoyed_from=0.999,
        message_frustrated_from=0.9995,
    )
    unreachable = replace(mood, levels=levels)
    assert GrumbleGate(GrumbleGate.get_default_config(), mood).is_grumble(text)
    assert not GrumbleGate(GrumbleGate.get_default_config(), unreachable).is_grumble(text)
