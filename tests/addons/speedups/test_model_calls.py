"""DIET called through its traced graph gives exactly what Rasa's own call gives, and so does
the prediction of the next action that follows."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import numpy as np
import pytest
from rasa.core.agent import Agent, load_agent
from rasa.core.channels import UserMessage
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.tensorflow.models import RasaModel

import addons.speedups  # noqa: F401 - installs the speed-ups as the Rasa server does
from addons.speedups import model_calls
from settings.env import PROJECT_ROOT

MESSAGES = ["hello there", "where is my order 10001?", "I want a person NOW!!!", "ok thanks"]


@pytest.fixture(scope="module")
def agent() -> Iterator[Agent]:
    model = PROJECT_ROOT / "models" / "assistant.tar.gz"
    yield asyncio.run(load_agent(model_path=str(model)))


def outcomes(agent: Agent) -> list[tuple[list, list[float]]]:
    """Each message's intent ranking, and the next-action probabilities after it."""

    async def run() -> list[tuple[list, list[float]]]:
        found = []
        for text in MESSAGES:
            parsed = await agent.processor.parse_message(UserMessage(text))
            tracker = DialogueStateTracker.from_events(
                "model-calls",
                [
                    ActionExecuted("action_session_start"),
                    SessionStarted(),
                    ActionExecuted("action_listen"),
                    UserUttered(text, parsed["intent"], parsed["entities"], parse_data=parsed),
                ],
                slots=agent.domain.slots,
            )
            prediction = agent.processor._predict_next_with_tracker(tracker)
            found.append((parsed["intent_ranking"], prediction.probabilities))
        return found

    return asyncio.run(run())


def test_predictions_match_rasas_own_call(agent: Agent, monkeypatch: pytest.MonkeyPatch) -> None:
    outcomes(agent)  # traces the graphs on the patched path
    ours = outcomes(agent)
    monkeypatch.setattr(RasaModel, "_rasa_predict", model_calls._rasa_predict)
    rasas = outcomes(agent)
    for (our_intents, our_actions), (rasa_intents, rasa_actions) in zip(ours, rasas, strict=True):
        assert [i["name"] for i in our_intents] == [i["name"] for i in rasa_intents]
        np.testing.assert_allclose(
            [i["confidence"] for i in our_intents], [i["confidence"] for i in rasa_intents]
        )
        np.testing.assert_allclose(our_actions, rasa_actions)


def test_a_batch_unlike_the_traced_one_takes_rasas_path() -> None:
    traced = model_calls.layout((np.zeros((1, 1, 40), dtype=np.float32),))
    assert model_calls.layout((np.zeros((2, 5, 40), dtype=np.float32),)) == traced
    assert model_calls.layout((np.zeros((1, 1, 41), dtype=np.float32),)) != traced
    assert model_calls.layout((np.zeros((1, 1, 40), dtype=np.int64),)) != traced
