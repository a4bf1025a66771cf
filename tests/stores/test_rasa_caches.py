"""Rasa's event lookup and dialogue states, kept between calls, give what Rasa computes."""

from __future__ import annotations

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

import stores  # noqa: F401 - installs the speed-ups, as the Rasa server's import does
from settings.env import PROJECT_ROOT
from stores import rasa_caches


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(PROJECT_ROOT / "domain"))


def conversation(domain: Domain, turns: int) -> DialogueStateTracker:
    """A tracker with `turns` delivery questions, each answered."""
    tracker = DialogueStateTracker.from_events("caches", [], domain.slots)
    for turn in range(turns):
        for event in (
            ActionExecuted("action_listen"),
            UserUttered(f"where is order 1000{turn}?", {"name": "check_delivery"}),
            SlotSet("order_number", f"1000{turn}"),
            ActionExecuted("action_check_delivery"),
        ):
            tracker.update(event)
    return tracker


def rasa_states(domain: Domain, tracker: DialogueStateTracker, **flags: bool) -> list:
    return rasa_caches._rasa_states_for_tracker_history(domain, tracker, **flags)


FLAGS = [{}, {"ignore_rule_only_turns": True}, {"omit_unset_slots": True}]


@pytest.mark.parametrize("flags", FLAGS)
def test_states_are_rasas_before_and_after_the_conversation_grows(
    domain: Domain, flags: dict
) -> None:
    tracker = conversation(domain, 3)
    first = domain.states_for_tracker_history(tracker, **flags)
    assert first == rasa_states(domain, tracker, **flags)
    first[-1].clear()  # a caller changing its states changes nobody else's
    assert domain.states_for_tracker_history(tracker, **flags) == rasa_states(
        domain, tracker, **flags
    )
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered("thanks", {"name": "greet"}))
    assert domain.states_for_tracker_history(tracker, **flags) == rasa_states(
        domain, tracker, **flags
    )


def test_events_read_back_as_rasa_reads_them() -> None:
    assert Event.resolve_by_type("slot") is SlotSet
    event = Event.from_parameters({"event": "user", "text": "hi", "parse_data": {}})
    assert isinstance(event, UserUttered) and event.text == "hi"
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")
