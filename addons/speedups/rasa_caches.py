"""Rasa 3.6's lookup of an event's class by its type name, done once per name.

py-spy on the Rasa server in 50-turn conversations (README, "Performance"): reading a
conversation turns each stored event back into an object with `Event.resolve_by_type`, which
walks every subclass of `Event` (with `inspect.isabstract` on each) for every event: 13% of the
server's CPU. The classes never change once Rasa is imported, so the lookup is kept per type
name. (The dialogue states every prediction rebuilds are continued instead: dialogue_states.py.)
"""

from __future__ import annotations

from rasa.shared.core.events import Event

_rasa_resolve_by_type = Event.resolve_by_type
_event_classes: dict[str, type[Event]] = {}


def resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    """Event.resolve_by_type with the classes found kept (unknown names behave as in Rasa)."""
    found = _event_classes.get(type_name)
    if found is None:
        found = _rasa_resolve_by_type(type_name, default)
        if found is not None and found is not default:
            _event_classes[type_name] = found
    return found


def install() -> None:
    """Replaces Rasa's method in this process (idempotent)."""
    Event.resolve_by_type = staticmethod(resolve_by_type)
