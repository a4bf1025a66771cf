"""Rasa's check of action-server responses keeps accepting and refusing the same responses."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

import stores  # noqa: F401 - installs the speed-ups, as the Rasa server's import does

VALID = {
    "events": [{"event": "slot", "name": "order_number", "value": "10001"}],
    "responses": [{"text": "Order 10001 is on its way."}],
}


def action() -> RemoteAction:
    return RemoteAction("action_check_delivery", None)


def test_a_proper_response_passes() -> None:
    assert action()._validate_action_result(VALID) is True
    assert action()._validate_action_result({"events": [], "responses": []}) is True


@pytest.mark.parametrize(
    "bad",
    [
        {"events": "not a list"},
        {"events": [{"event": "slot", "value": 1}]},
        {"responses": ["just text"]},
    ],
)
def test_a_malformed_response_is_refused_with_rasas_explanation(bad: dict) -> None:
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action()._validate_action_result(bad)
