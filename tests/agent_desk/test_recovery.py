"""Which noted conversations the desk's recovery pass hands over (agent_desk/recovery.py)."""

from __future__ import annotations

from typing import Any

from agent_desk.recovery import wants_a_person

PERSON = frozenset({"request_human"})


def user(intent: str) -> dict[str, Any]:
    return {"event": "user", "text": "...", "parse_data": {"intent": {"name": intent}}}


def test_a_request_rasa_reverted_while_the_action_server_was_down_still_counts() -> None:
    # What Rasa stored when the action server was killed: fallback, then the message reverted.
    tracker = {
        "paused": False,
        "latest_message": {"intent": {}, "text": None},
        "slots": {},
        "events": [
            user("request_human"),
            {"event": "action", "name": "action_default_fallback"},
            {"event": "rewind"},
            {"event": "action", "name": "action_listen"},
        ],
    }
    assert wants_a_person(tracker, PERSON)


def test_other_last_messages_and_paused_conversations_are_left_alone() -> None:
    events = [user("request_human"), user("check_delivery")]
    assert not wants_a_person({"paused": False, "slots": {}, "events": events}, PERSON)
    paused = {"paused": True, "slots": {}, "events": [user("request_human")]}
    assert not wants_a_person(paused, PERSON)
