"""Applied events continued from the last call are exactly what Rasa works out from the first
event (addons/speedups/applied_events.py)."""

from __future__ import annotations

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event
from rasa.shared.core.trackers import DialogueStateTracker

import addons.speedups  # noqa: F401 - installs the speed-ups as the Rasa server does
from addons.speedups import applied_events


def grown_event_by_event(domain: Domain, sender: str, events: list[Event]) -> int:
    """Grows one tracker event by event, asking after each (so each answer continues the last
    one) and comparing with Rasa's; returns how many answers were continued."""
    tracker = DialogueStateTracker(sender, domain.slots)
    continued = 0
    for event in events:
        tracker.update(event)
        before = getattr(tracker, "_applied_covered", None)
        ours = tracker.applied_events()
        assert ours == applied_events._rasa_applied_events(tracker)
        assert [id(e) for e in ours] == [
            id(e) for e in applied_events._rasa_applied_events(tracker)
        ]
        continued += before is not None and tracker._applied_covered.length > before.length
    return continued


def test_every_project_conversation_event_by_event(
    domain: Domain, conversations: list[list[Event]]
) -> None:
    continued = sum(
        grown_event_by_event(domain, f"applied-{n}", events)
        for n, events in enumerate(conversations)
    )
    assert continued > 0


def test_rewinds_restarts_and_a_form_activated_after_its_action_ran(
    domain: Domain, rare_events: list[Event]
) -> None:
    assert grown_event_by_event(domain, "applied-rare", rare_events) > 0


def test_a_form_activated_later_changes_the_earlier_events() -> None:
    """The form's earlier run counts once the form is activated: worked out again."""
    tracker = DialogueStateTracker("applied-late-form", [])
    for event in [ActionExecuted("refund_form"), ActionExecuted("refund_form")]:
        tracker.update(event)
    assert len(tracker.applied_events()) == 2
    tracker.update(ActiveLoop("refund_form"))
    tracker.update(ActionExecuted("refund_form"))
    assert tracker.applied_events() == applied_events._rasa_applied_events(tracker)


def test_callers_changing_the_list_change_nothing_kept(domain: Domain) -> None:
    tracker = DialogueStateTracker("applied-callers", domain.slots)
    tracker.update(ActionExecuted("action_listen"))
    tracker.applied_events().clear()
    assert tracker.applied_events() == applied_events._rasa_applied_events(tracker)
