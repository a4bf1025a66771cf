"""Rasa's event lookup, kept between calls, gives what Rasa computes."""

from __future__ import annotations

import pytest
from rasa.shared.core.events import Event, SlotSet, UserUttered

import addons.speedups  # noqa: F401 - installs the speed-ups as the Rasa server does


def test_events_read_back_as_rasa_reads_them() -> None:
    assert Event.resolve_by_type("slot") is SlotSet
    event = Event.from_parameters({"event": "user", "text": "hi", "parse_data": {}})
    assert isinstance(event, UserUttered) and event.text == "hi"
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")
