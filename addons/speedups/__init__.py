"""Measured speed-ups of Rasa 3.6's internals, one module for each thing they make cheaper.

- `action_responses`: the check of every action-server response;
- `action_calls`: the HTTP calls to the action server;
- `rasa_caches`: the lookup of an event's class by its type name;
- `dialogue_states`: the dialogue states each prediction rebuilds;
- `applied_events`: a tracker's events without the reverted ones, asked for before each prediction;
- `model_calls`: TensorFlow predictions;
- `model_loading`: the memory a loaded TensorFlow model keeps (no training step at load);
- `tracker_copies`: the copy of a conversation's tracker taken before each action.

Importing this package installs all of them (`addons.stores` does, for every Rasa server).
"""

from addons.speedups import (
    action_calls,
    action_responses,
    applied_events,
    dialogue_states,
    model_calls,
    model_loading,
    rasa_caches,
    tracker_copies,
)

action_responses.install()
action_calls.install()
rasa_caches.install()
dialogue_states.install()
applied_events.install()
model_calls.install()
model_loading.install()
tracker_copies.install()
