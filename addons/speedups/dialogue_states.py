"""Rasa 3.6's dialogue states of a conversation, continued from where the last prediction for
that conversation left off instead of rebuilt from its first event.

For every prediction RulePolicy and MemoizationPolicy ask `Domain.states_for_tracker_history`
for the states of the whole session: Rasa replays every event into a fresh tracker and builds
a state before each action. That is what made a turn late in a long conversation cost more than
an early one (a 50-turn session, 547 events: 9.8 + 6.8 ms per prediction; benchmarks/README.md).
The next message's tracker holds the same events plus new ones, so the replay is kept per
conversation and flags, and only the new events are replayed.

The loop below is Rasa's `states_for_tracker_history` (domain.py) taken apart at its yield
points, calling the same Domain methods; the states it gives are checked against Rasa's own
function in tests/addons/speedups/test_dialogue_states.py. Whenever the events Rasa applies
do not extend the ones replayed before (a rewind, a restart, a new session, a form's happy
path folding its previous run away, another instance having served the conversation), the
replay starts over.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from rasa.shared.core.constants import PREVIOUS_ACTION
from rasa.shared.core.domain import Domain, State, SubState
from rasa.shared.core.events import ActionExecuted, Event
from rasa.shared.core.trackers import DialogueStateTracker

# Rasa's own function, the reference tests/addons/speedups/test_dialogue_states.py compares against.
_rasa_states_for_tracker_history = Domain.states_for_tracker_history

# Conversations whose replay is kept, per set of flags (the most recently used ones).
KEPT_REPLAYS = 256


@dataclass
class _Replay:
    """Events replayed so far into `tracker`, the states made on the way, and the loop's two
    variables as Rasa's function holds them between iterations."""

    domain: Domain
    tracker: DialogueStateTracker
    applied: list[Event] = field(default_factory=list)
    states: list[State] = field(default_factory=list)
    last_ml_action: SubState | None = None
    turn_was_hidden: bool = False


_replays: OrderedDict[tuple[Any, ...], _Replay] = OrderedDict()


# What a state is made of, read cheaply: Rasa's own `==` on events runs jsonpickle on metadata
# (ActionExecuted, BotUttered), which cost more than the replay it was meant to save.
_GIST = ("action_name", "key", "value", "text", "intent_name", "name")


def _same_event(new: Event, old: Event) -> bool:
    """The same event read back again: type, timestamp and what it says."""
    if new is old:
        return True
    if type(new) is not type(old) or new.timestamp != old.timestamp:
        return False
    return all(getattr(new, part, None) == getattr(old, part, None) for part in _GIST)


def _extends(applied: list[Event], replayed: list[Event]) -> bool:
    """Whether `applied` starts with the events already replayed."""
    return len(applied) >= len(replayed) and all(
        _same_event(new, old) for new, old in zip(applied, replayed, strict=False)
    )


def _state_here(
    replay: _Replay,
    hide_rule_turn: bool,
    omit_unset_slots: bool,
    ignore_rule_only_turns: bool,
    rule_only_data: dict[str, Any] | None,
) -> State | None:
    """One iteration of Rasa's loop at the replay's current point (updates the loop variables;
    None where Rasa's loop `continue`s)."""
    domain, tracker = replay.domain, replay.tracker
    if ignore_rule_only_turns:
        if not replay.turn_was_hidden:
            replay.last_ml_action = domain._get_prev_action_sub_state(tracker)
        if (
            not tracker.followup_action
            and not tracker.latest_action_name == tracker.active_loop_name
        ):
            replay.turn_was_hidden = hide_rule_turn
        if replay.turn_was_hidden:
            return None
    state = domain.get_active_state(tracker, omit_unset_slots=omit_unset_slots)
    if ignore_rule_only_turns:
        domain._remove_rule_only_features(state, rule_only_data)
        if replay.states:
            domain._substitute_rule_only_user_input(state, replay.states[-1])
        if replay.last_ml_action:
            state[PREVIOUS_ACTION] = replay.last_ml_action
    return domain._clean_state(state)


# The last tracker asked about and its applied events: one prediction asks three times about
# one tracker, and Rasa's `applied_events` walks the whole session (looking back from every
# form run), a quarter of the server's CPU late in a long conversation.
_last_applied: list[tuple[weakref.ref[DialogueStateTracker], int, Event | None, list[Event]]] = []


def _applied_events(tracker: DialogueStateTracker) -> list[Event]:
    """tracker.applied_events(), computed once per tracker object and length."""
    length = len(tracker.events)
    last = tracker.events[-1] if length else None
    if _last_applied:
        ref, kept_length, kept_last, kept = _last_applied[0]
        if kept_length == length and kept_last is last and ref() is tracker:
            return kept
    applied: list[Event] = tracker.applied_events()
    _last_applied[:] = [(weakref.ref(tracker), length, last, applied)]
    return applied


def _copy(states: list[State]) -> list[State]:
    """States are dicts of sub-state dicts of strings and tuples: two levels to copy (callers
    remove keys from the states they get)."""
    return [{name: dict(sub_state) for name, sub_state in state.items()} for state in states]


def _frozen(rule_only_data: dict[str, Any] | None) -> Any:
    if not rule_only_data:
        return None
    return tuple(sorted((key, tuple(value)) for key, value in rule_only_data.items()))


def states_for_tracker_history(
    self: Domain,
    tracker: DialogueStateTracker,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: dict[str, Any] | None = None,
) -> list[State]:
    """Domain.states_for_tracker_history, replaying only the events not replayed before."""
    flags = (omit_unset_slots, ignore_rule_only_turns, rule_only_data)
    key = (tracker.sender_id, id(self), *flags[:2], _frozen(rule_only_data))
    applied = _applied_events(tracker)
    replay = _replays.pop(key, None)
    if replay is None or replay.domain is not self or not _extends(applied, replay.applied):
        replay = _Replay(self, tracker.init_copy())
    for event in applied[len(replay.applied) :]:
        if isinstance(event, ActionExecuted):
            state = _state_here(replay, event.hide_rule_turn, *flags)
            if state is not None:
                replay.states.append(state)
        replay.tracker.update(event)
    replay.applied = applied
    # Rasa's last iteration, after every event: made on copies of the loop variables, as the
    # next message replays on from here and visits this point again before its first action.
    last = _Replay(self, replay.tracker, [], replay.states, replay.last_ml_action)
    last.turn_was_hidden = replay.turn_was_hidden
    final = _state_here(last, False, *flags)
    _replays[key] = replay
    while len(_replays) > KEPT_REPLAYS:
        _replays.popitem(last=False)
    return _copy(replay.states + ([final] if final is not None else []))


def install() -> None:
    """Replaces Rasa's method in this process (idempotent)."""
    Domain.states_for_tracker_history = states_for_tracker_history
