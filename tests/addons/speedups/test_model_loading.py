"""DIET loaded without Rasa's training step predicts exactly what Rasa's own loading predicts,
and keeps no optimizer slots (addons/speedups/model_loading.py)."""

from __future__ import annotations

import asyncio
import gc

import pytest
from rasa.core.agent import Agent, load_agent
from rasa.core.channels import UserMessage
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.utils.tensorflow.models import RasaModel

import addons.speedups  # noqa: F401 - installs the speed-ups as the Rasa server does
from addons.speedups import model_loading
from settings.env import PROJECT_ROOT

MODEL = PROJECT_ROOT / "models" / "assistant.tar.gz"
MESSAGES = [
    "hello there",
    "where is my order 10001?",
    "I want a person NOW!!!",
    "ok thanks",
    "this is the third time I'm writing about my refund",
    "환불해 주세요",
    "qwzx blorp",
]


def loaded() -> Agent:
    return asyncio.run(load_agent(model_path=str(MODEL)))


def intent_rankings(agent: Agent) -> list[list[dict]]:
    """Each message's whole intent ranking, confidences included."""

    async def run() -> list[list[dict]]:
        return [
            (await agent.processor.parse_message(UserMessage(text)))["intent_ranking"]
            for text in MESSAGES
        ]

    return asyncio.run(run())


def diet_models(agent: Agent) -> list[RasaModel]:
    """The TensorFlow model of every DIET classifier in the agent's graph."""
    nodes = agent.processor.graph_runner._instantiated_nodes.values()  # type: ignore[attr-defined]
    return [n._component.model for n in nodes if isinstance(n._component, DIETClassifier)]


def test_predictions_and_memory_against_rasas_own_loading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lean = loaded()
    ours = intent_rankings(lean)
    [lean_model] = diet_models(lean)
    # Adam's iteration counter only: no slot per weight, so nothing was trained at load.
    assert len(lean_model.optimizer.variables()) == 1
    del lean, lean_model
    gc.collect()

    monkeypatch.setattr(RasaModel, "load", classmethod(model_loading._rasa_load))
    rasas = loaded()
    [rasa_model] = diet_models(rasas)
    assert len(rasa_model.optimizer.variables()) > 1
    # Exact equality: every weight read from the same file, the same graph run on it.
    assert ours == intent_rankings(rasas)
