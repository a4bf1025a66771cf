"""The per-turn triggers' rules on real rasa_sdk trackers (no servers needed): which failures
count, which order a request is filed under, and what a claim of earlier contact does."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from actions.handoff_rules import consecutive_failures, current_order, decide_handoff
from actions.history import Contact, _same_request
from contract.form_answers import answer_times
from mood.settings import load_handoff_triggers

FAILURES = frozenset({"nlu_fallback", "out_of_scope"})
TOPICS = {"check_delivery": "delivery", "request_refund": "refund"}


def user(text: str, intent: str, ts: float, order: str | None = None) -> dict[str, Any]:
    """A user event as Rasa sends it to the action server."""
    entities = [{"entity": "order_number", "value": order}] if order else []
    return {
        "event": "user",
        "text": text,
        "timestamp": ts,
        "parse_data": {"intent": {"name": intent}, "entities": entities},
    }


def tracker(events: list[dict[str, Any]]) -> Tracker:
    """A tracker whose latest message is the last user event."""
    latest = next(e for e in reversed(events) if e["event"] == "user")
    return Tracker(
        "customer-1",
        {},
        {**latest["parse_data"], "text": latest["text"]},
        events,
        False,
        None,
        {},
        "action_listen",
    )


def test_emoji_and_blank_messages_are_not_failures() -> None:
    turns = [user("blorf", "nlu_fallback", 1), user("🙂🙂", "nlu_fallback", 2)]
    assert consecutive_failures(turns, FAILURES) == 0
    turns = [user("blorf", "nlu_fallback", 1), user("wuzzle", "nlu_fallback", 2)]
    assert consecutive_failures(turns, FAILURES) == 2


def test_a_reason_typed_into_a_form_is_not_a_failure() -> None:
    events = [
        user("I want a refund for 10004", "request_refund", 1, "10004"),
        {"event": "active_loop", "name": "refund_form"},
        {"event": "slot", "name": "requested_slot", "value": "refund_reason"},
        user("the colour looked different in the photos", "nlu_fallback", 2),
    ]
    answers = answer_times(events)
    turns = [e for e in events if e["event"] == "user"]
    assert consecutive_failures(turns, FAILURES, answers) == 0


def test_the_request_is_filed_under_its_own_order() -> None:
    events = [
        user("where is order 10001?", "check_delivery", 1, "10001"),
        user("ok thanks", "thank", 2),
        user("I want a refund of 10010", "request_refund", 3, "10010"),
    ]
    assert current_order(tracker(events), events, TOPICS) == "10010"
    events = events[:2] + [user("I want a refund", "request_refund", 3)]
    assert current_order(tracker(events), events, TOPICS) is None


def test_a_different_order_is_not_the_same_request() -> None:
    contact = Contact("c3", "refund", (("sender", "s"),), "10010")
    assert _same_request(b"refund|10001|c1", contact) is None
    assert _same_request(b"refund|10010|c2", contact) == "c2"
    assert _same_request(b"refund||c2", contact) == "c2"
    assert _same_request(b"delivery|10010|c2", contact) is None


def test_a_claim_of_earlier_contact_hands_over_for_repeated_contact() -> None:
    triggers = load_handoff_triggers()
    assert decide_handoff(triggers, "check_delivery", 0, False, False, True) == ("repeated_contact")
    assert decide_handoff(triggers, "check_delivery", 0, False, False, False) is None
