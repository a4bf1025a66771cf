"""Two of Rasa 3.6's per-message computations that grow with a conversation, done once.

py-spy on the Rasa server in 50-turn conversations (README, "Performance"):
- Reading a conversation turns each stored event back into an object with
  `Event.resolve_by_type`, which walks every subclass of `Event` (with `inspect.isabstract`
  on each) for every event: 13% of the server's CPU. The classes never change once Rasa is
  imported, so the lookup is kept per type name.
- Every prediction, RulePolicy and MemoizationPolicy each rebuild the dialogue states of the
  whole conversation (`Domain.states_for_tracker_history`, 20%), three times in all, twice with
  the same arguments (each policy holds its own equal copy of the rule-only data, so inputs
  are compared by value). The latest few results are kept per tracker object and its length,
  and each caller gets its own copy (callers remove keys from the states).
"""

from __future__ import annotations

import weakref
from typing import Any

from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

_rasa_resolve_by_type = Event.resolve_by_type
_rasa_states_for_tracker_history = Domain.states_for_tracker_history
_event_classes: dict[str, type[Event]] = {}

# (tracker, domain, rule-only data, (events, flags), last event, states): a few entries, as one
# message's prediction runs every policy on one tracker before the next one adds events.
_Entry = tuple["weakref.ref[DialogueStateTracker]", Domain, Any, tuple, Any, list[State]]
_states: list[_Entry] = []
_KEPT_STATES = 4


def resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    """Event.resolve_by_type with the classes found kept (unknown names behave as in Rasa)."""
    found = _event_classes.get(type_name)
    if found is None:
        found = _rasa_resolve_by_type(type_name, default)
        if found is not None and found is not default:
            _event_classes[type_name] = found
    return found


def _copy(states: list[State]) -> list[State]:
    """States are dicts of sub-state dicts of strings and tuples: two levels to copy."""
    return [{name: dict(sub_state) for name, sub_state in state.items()} for state in states]


def states_for_tracker_history(
    self: Domain,
    tracker: DialogueStateTracker,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: dict[str, Any] | None = None,
) -> list[State]:
    """Domain.states_for_tracker_history, computed once per tracker, length and flags."""
    # The last event too: a tracker with a bounded history keeps its length as it grows.
    key = (len(tracker.events), omit_unset_slots, ignore_rule_only_turns)
    last = tracker.events[-1] if tracker.events else None
    for ref, domain, rule_data, entry_key, entry_last, kept in _states:
        same_inputs = domain is self and rule_data == rule_only_data and entry_key == key
        if same_inputs and ref() is tracker and entry_last is last:
            return _copy(kept)
    states: list[State] = _rasa_states_for_tracker_history(
        self, tracker, omit_unset_slots, ignore_rule_only_turns, rule_only_data
    )
    _states.append((weakref.ref(tracker), self, rule_only_data, key, last, _copy(states)))
    del _states[:-_KEPT_STATES]
    return states


def install() -> None:
    """Replaces Rasa's methods in this process (idempotent)."""
    Event.resolve_by_type = staticmethod(resolve_by_type)
    Domain.states_for_tracker_history = states_for_tracker_history
