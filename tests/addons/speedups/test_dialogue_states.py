"""Dialogue states continued from the last prediction are exactly the states Rasa rebuilds."""

from __future__ import annotations

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    Event,
    Restarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

import addons.speedups  # noqa: F401 - installs the speed-ups as the Rasa server does
from addons.speedups import dialogue_states

# The loops this project's RulePolicy reports as rule-only (forms that appear in rules only).
RULE_ONLY = {
    "rule_only_slots": [],
    "rule_only_loops": ["refund_status_form", "missing_parcel_form"],
}
FLAGS = [
    {},
    {"omit_unset_slots": True},
    {"ignore_rule_only_turns": True, "rule_only_data": RULE_ONLY},
    {"ignore_rule_only_turns": False, "rule_only_data": RULE_ONLY},
]


def rasas(domain: Domain, tracker: DialogueStateTracker, flags: dict) -> list:
    return dialogue_states._rasa_states_for_tracker_history(domain, tracker, **flags)


def growing(domain: Domain, sender: str, events: list[Event]) -> list[DialogueStateTracker]:
    """The conversation as Rasa reloads it for each new event: a new tracker every time."""
    return [
        DialogueStateTracker.from_events(sender, events[:end], domain.slots)
        for end in range(1, len(events) + 1)
    ]


@pytest.mark.parametrize("flags", FLAGS)
def test_every_project_conversation_event_by_event(
    domain: Domain, conversations: list[list[Event]], flags: dict
) -> None:
    for number, events in enumerate(conversations):
        for tracker in growing(domain, f"story-{number}", events):
            assert domain.states_for_tracker_history(tracker, **flags) == rasas(
                domain, tracker, flags
            )


def test_rewinds_restarts_and_interleaved_conversations(domain: Domain) -> None:
    def turn(text: str, intent: str) -> list[Event]:
        return [ActionExecuted("action_listen"), UserUttered(text, {"name": intent})]

    first = [
        *turn("where is my order?", "check_delivery"),
        ActionExecuted("delivery_form"),
        *turn("10001", "inform"),
        UserUtteranceReverted(),
        *turn("I want a person", "request_human"),
        SlotSet("live_agent_handoff", True),
        ActionExecuted("action_handoff"),
        Restarted(),
        *turn("hi", "greet"),
        ActionExecuted("utter_greet"),
    ]
    second = [*turn("refund please", "request_refund"), ActionExecuted("refund_form")]
    # The two conversations take turns, as two customers' messages reach one server.
    first_trackers = growing(domain, "first", first)
    second_trackers = growing(domain, "second", second + second)
    for step in range(max(len(first_trackers), len(second_trackers))):
        for trackers in (first_trackers, second_trackers):
            for tracker in trackers[step : step + 1]:
                for flags in FLAGS:
                    assert domain.states_for_tracker_history(tracker, **flags) == rasas(
                        domain, tracker, flags
                    )


def test_a_caller_changing_its_states_changes_nobody_elses(domain: Domain) -> None:
    events = [ActionExecuted("action_listen"), UserUttered("hi", {"name": "greet"})]
    tracker = DialogueStateTracker.from_events("changes", events, domain.slots)
    domain.states_for_tracker_history(tracker)[-1].clear()
    assert domain.states_for_tracker_history(tracker) == rasas(domain, tracker, {})
