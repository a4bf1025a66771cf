"""Rasa 3.6's copy of a conversation's tracker made from its state instead of replaying it.

Before each action the Rasa server runs, `MessageProcessor._run_action` takes `tracker.copy()`
(so a rejected action's events can be dropped), and Rasa's copy replays every event of the
conversation into a new tracker: four or five replays per message, each longer as the
conversation grows (0.6 ms at 422 events on a quiet machine; benchmarks/README.md). A tracker
only changes through its events, so the replay ends in the state the tracker holds: here the
copy takes that state directly (the events, each slot's value, the loop, the latest message,
action and bot utterance, the followup action, whether it is paused), as Rasa's copy would
have rebuilt it, with the same things left out (model and assistant ids, the sender's source).
tests/addons/speedups/test_tracker_copies.py compares it with Rasa's copy after every event of
every conversation in the project's stories, rules and test stories.
"""

from __future__ import annotations

import dataclasses

from rasa.shared.core.trackers import DialogueStateTracker

# Rasa's own method, the reference the tests compare against.
_rasa_copy = DialogueStateTracker.copy


def state_copy(self: DialogueStateTracker) -> DialogueStateTracker:
    """DialogueStateTracker.copy without replaying the events."""
    duplicate = self.init_copy()
    duplicate.events.extend(self.events)
    for name, slot in self.slots.items():
        kept = duplicate.slots.get(name)
        if kept is not None:
            kept._value, kept._has_been_set = slot._value, slot._has_been_set
    duplicate._paused = self._paused
    duplicate.followup_action = self.followup_action
    duplicate.latest_action = None if self.latest_action is None else dict(self.latest_action)
    duplicate.latest_message = self.latest_message
    duplicate.latest_bot_utterance = self.latest_bot_utterance
    duplicate.active_loop = (
        dataclasses.replace(self.active_loop) if self.active_loop else self.active_loop
    )
    return duplicate


def install() -> None:
    """Replaces Rasa's method in this process (idempotent)."""
    DialogueStateTracker.copy = state_copy


__all__ = ["install", "state_copy"]
