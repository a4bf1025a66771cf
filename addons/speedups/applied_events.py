"""Rasa 3.6's applied events of a tracker (its events without the reverted ones) continued from
the last time they were asked for, instead of worked out again from the first event.

The Rasa server asks for them before every prediction and at a message's session check, and
Rasa walks every event of the session each time: 0.8 ms at 422 events on a quiet machine, three
or four times per message, more with every turn (benchmarks/README.md). The tracker a
conversation's messages use is kept between them (addons/stores/kept_trackers.py) and only
grows, so the result is kept on the tracker with how many events it covered and the last of
them; when the tracker still starts with those, only the new events go through Rasa's loop.

Rasa's loop treats a form's action by whether that form is ever activated in the events, new
ones included: when the new events activate a form not activated before, everything is worked
out again. tests/addons/speedups/test_applied_events.py compares the result with Rasa's own
after every event of every project conversation and of rewinds, restarts and form runs.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

# Rasa's own method, the reference the tests compare against.
_rasa_applied_events = DialogueStateTracker.applied_events


@dataclass(frozen=True)
class _Covered:
    """The applied events of a tracker's first `length` events, the last of which is `last`."""

    length: int
    last: Event | None
    loop_names: frozenset[str]
    applied: list[Event]


def _loop_names(events: Iterable[Event]) -> frozenset[str]:
    return frozenset(e.name for e in events if isinstance(e, ActiveLoop) and e.name)


def _apply(
    tracker: DialogueStateTracker,
    events: Iterable[Event],
    loop_names: frozenset[str],
    applied: list[Event],
) -> list[Event]:
    """Rasa's loop (`DialogueStateTracker.applied_events`) over `events`, continuing `applied`."""
    for event in events:
        if isinstance(event, (Restarted, SessionStarted)):
            applied = []
        elif isinstance(event, ActionReverted):
            tracker._undo_till_previous(ActionExecuted, applied)
        elif isinstance(event, UserUtteranceReverted):
            tracker._undo_till_previous(UserUttered, applied)
            tracker._undo_till_previous(ActionExecuted, applied)
        elif (
            isinstance(event, ActionExecuted)
            and event.action_name in loop_names
            and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)
        ):
            tracker._undo_till_previous_loop_execution(event.action_name, applied)
        else:
            applied.append(event)
    return applied


def applied_events(self: DialogueStateTracker) -> list[Event]:
    """DialogueStateTracker.applied_events, going through only the events added since."""
    events = self.events
    length = len(events)
    covered: _Covered | None = getattr(self, "_applied_covered", None)
    if (
        covered is not None
        and covered.length <= length
        and (covered.length == 0 or events[covered.length - 1] is covered.last)
    ):
        new = list(itertools.islice(events, covered.length, None))
        loop_names = covered.loop_names | _loop_names(new)
        if loop_names == covered.loop_names:
            applied = _apply(self, new, loop_names, list(covered.applied))
            self._applied_covered = _Covered(
                length, covered.last if not new else new[-1], loop_names, applied
            )
            return list(applied)
    loop_names = _loop_names(events)
    applied = _apply(self, events, loop_names, [])
    self._applied_covered = _Covered(length, events[-1] if length else None, loop_names, applied)
    return list(applied)


def install() -> None:
    """Replaces Rasa's method in this process (idempotent)."""
    DialogueStateTracker.applied_events = applied_events
