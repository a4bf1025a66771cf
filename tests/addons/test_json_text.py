"""What the Rasa server stores and sends reads back as the standard `json` module reads it."""

from __future__ import annotations

import json
import math

import pytest

from addons.json_text import dumps, loads

VALUES = [
    {"event": "user", "text": "café, order 10001 / 10002", "timestamp": 1796023001.4568229},
    {"text": "a lone surrogate \ud83d typed by a customer"},
    [0.1, 1e-300, 123456789.123456789, -0.0, 10**20],
    'line\nbreak "quoted" \\ back',
]


@pytest.mark.parametrize("value", VALUES)
def test_values_round_trip_as_with_json(value: object) -> None:
    assert loads(dumps(value)) == json.loads(json.dumps(value)) == value
    assert loads(json.dumps(value)) == value


def test_nan_is_written_and_read_as_json_does() -> None:
    assert math.isnan(loads(dumps(float("nan"))))
    assert dumps(float("nan")) == json.dumps(float("nan"))
