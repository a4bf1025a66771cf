"""Rasa's check of action-server responses keeps accepting and refusing the same responses."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

import addons.speedups  # noqa: F401 - installs the speed-ups as the Rasa server does

VALID = {
    "events": [{"event": "slot", "name": "order_number", "value": "10001"}],
    "responses": [{"text": "Order 10001 is on its way."}],
}


def action() -> RemoteAction:
    return RemoteAction("action_check_delivery", None)


def test_a_proper_response_passes() -> None:
    assert action()._validate_action_result(VALID) is True
    assert action()._validate_action_result({"events": [], "responses": []}) is True


def test_every_event_type_rasa_accepts_is_accepted() -> None:
    """The quick check reads each `oneOf` branch of Rasa's schema; none may be lost."""
    events = [
        {"event": "user", "text": "hi", "parse_data": {"intent": {"name": "greet"}}},
        {"event": "action", "name": "action_listen", "policy": None, "confidence": 1.0},
        {"event": "slot", "name": "order_number", "value": None, "timestamp": 1.5},
        {"event": "entities", "entities": [{"entity": "order_number", "value": "10001"}]},
        {"event": "bot", "text": "hello", "metadata": {"utter_action": "utter_greet"}},
        {"event": "active_loop", "name": "delivery_form"},
        {"event": "followup", "name": "action_check_delivery"},
        {"event": "pause"},
        {"event": "resume"},
        {"event": "reset_slots"},
        {"event": "session_started"},
        {"event": "agent", "text": "Sam here"},
    ]
    assert action()._validate_action_result({"events": events, "responses": []}) is True


@pytest.mark.parametrize(
    "bad",
    [
        {"events": "not a list"},
        {"events": [{"event": "slot", "value": 1}]},
        {"responses": ["just text"]},
        {"events": [{"event": "no_such_event"}]},
        {"events": [{"name": "order_number", "value": "10001"}]},
        {"events": ["slot"]},
        {"events": [{"event": "slot", "name": "order_number", "value": "1", "timestamp": "now"}]},
        {"events": [{"event": "action", "name": 5}]},
        {"events": [{"event": "entities"}]},
        {"events": [{"event": "user", "text": "hi", "parse_data": {"entities": [{"x": 1}]}}]},
    ],
)
def test_a_malformed_response_is_refused_with_rasas_explanation(bad: dict) -> None:
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action()._validate_action_result(bad)
