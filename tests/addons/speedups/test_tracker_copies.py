"""A tracker copied from its state is the tracker Rasa's replaying copy makes, after every event
of every project conversation (addons/speedups/tracker_copies.py)."""

from __future__ import annotations

import dataclasses
from typing import Any

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

import addons.speedups  # noqa: F401 - installs the speed-ups as the Rasa server does
from addons.speedups import tracker_copies


def everything(tracker: DialogueStateTracker) -> dict[str, Any]:
    """All a tracker holds, as values to compare."""
    return {
        "state": tracker.current_state(EventVerbosity.ALL),
        "events": [id(event) for event in tracker.events],
        "slots": {n: (s.value, s._has_been_set) for n, s in tracker.slots.items()},
        "paused": tracker._paused,
        "followup": tracker.followup_action,
        "action": tracker.latest_action,
        "message": id(tracker.latest_message) if tracker.latest_message.text else None,
        "bot": tracker.latest_bot_utterance,
        "loop": dataclasses.asdict(tracker.active_loop) if tracker.active_loop else None,
        "ids": (tracker.model_id, tracker.assistant_id, tracker.sender_source),
    }


def test_every_project_conversation_event_by_event(
    domain: Domain, conversations: list[list[Event]]
) -> None:
    seen = set()
    for number, events in enumerate(conversations):
        tracker = DialogueStateTracker(f"copies-{number}", domain.slots)
        tracker.model_id, tracker.assistant_id = "model", "assistant"
        for event in events:
            tracker.update(event)
            assert everything(tracker_copies.state_copy(tracker)) == everything(
                tracker_copies._rasa_copy(tracker)
            )
            seen |= {"loop"} if tracker.active_loop else set()
    # The comparisons covered forms, not only routine answers.
    assert seen == {"loop"}


def test_what_the_stories_lack(domain: Domain, rare_events: list[Event]) -> None:
    tracker = DialogueStateTracker("copies-by-hand", domain.slots)
    for event in rare_events:
        tracker.update(event)
        assert everything(tracker_copies.state_copy(tracker)) == everything(
            tracker_copies._rasa_copy(tracker)
        )


def test_a_copy_changes_apart_from_its_original(domain: Domain) -> None:
    tracker = DialogueStateTracker("copies", domain.slots)
    tracker.update(SlotSet("email", "a@example.com"))
    duplicate = tracker.copy()
    duplicate.update(SlotSet("email", "b@example.com"))
    assert tracker.get_slot("email") == "a@example.com"
    assert len(tracker.events) == 1 and len(duplicate.events) == 2
