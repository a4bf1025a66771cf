"""A conversation a person closed does not make the next, different question a repeated contact.

Bob asks for a refund of 10004 three times (three senders, one proven email): the third hands over
as repeated_contact, a person deals with it and closes the ticket (the desk appends `resume`).
When Bob then asks whether the refund has gone through, that is a new question, not a fourth
time back; asking for the refund yet again still is. Action and real Redis, as Rasa runs it.
"""

from __future__ import annotations

import time
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.turn_analysis import ActionAnalyzeTurn
from contract.slots import HANDOFF_REASON, LIVE_AGENT_HANDOFF, SENTIMENT_SCORE
from tests.actions.conftest import make_tracker

BOB = [
    {"entity": "email", "value": "bob@example.com"},
    {"entity": "order_number", "value": "10004"},
]
REFUND = ("request_refund", "I'd like a refund for order 10004 please, bob@example.com")


def user(intent: str, text: str, at: float) -> dict[str, Any]:
    """A user event as Rasa stores it, with Bob's email and order."""
    parse = {"intent": {"name": intent}, "entities": BOB}
    return {"event": "user", "text": text, "timestamp": at, "parse_data": parse}


def tracker(sender: str, events: list[dict[str, Any]]) -> Tracker:
    """The tracker Rasa sends while extracting slots after the last user event."""
    latest = events[-1]
    return make_tracker(
        text=latest["text"],
        intent=latest["parse_data"]["intent"]["name"],
        events=events,
        sender_id=sender,
        entities=BOB,
        slots={"verified_email": "bob@example.com", "proven_order": "10004"},
    )


async def handoff_reason(sender: str, events: list[dict[str, Any]], domain: dict) -> Any:
    """The handoff reason action_analyze_turn sets for the last message, or None."""
    result = await ActionAnalyzeTurn().run(CollectingDispatcher(), tracker(sender, events), domain)
    slots = {event["name"]: event["value"] for event in result}
    return slots.get(HANDOFF_REASON) if slots.get(LIVE_AGENT_HANDOFF) else None


def closed_by_a_person(started: float) -> list[dict[str, Any]]:
    """The third conversation up to the point where the agent closed its ticket."""
    return [
        {"event": "session_started", "timestamp": started},
        user(*REFUND, started + 1),
        {"event": "slot", "name": SENTIMENT_SCORE, "value": 0.0},
        {"event": "slot", "name": LIVE_AGENT_HANDOFF, "value": True},
        {"event": "slot", "name": HANDOFF_REASON, "value": "repeated_contact"},
        {"event": "action", "name": "action_handoff"},
        {"event": "resume", "timestamp": time.time()},
        {"event": "slot", "name": LIVE_AGENT_HANDOFF, "value": False},
        {"event": "slot", "name": HANDOFF_REASON, "value": None},
        {"event": "action", "name": "action_listen"},
    ]


async def came_back_three_times(domain: dict) -> list[Any]:
    """Bob's three refund requests, each in a conversation of its own."""
    started = time.time()
    opening = [{"event": "session_started", "timestamp": started}, user(*REFUND, started)]
    return [
        await handoff_reason(sender, opening, domain)
        for sender in ("web-1", "slack-1", "telegram-1")
    ]


async def test_a_new_question_after_a_person_closed_the_conversation_stays_with_the_assistant(
    action_redis: str, domain: dict
) -> None:
    assert await came_back_three_times(domain) == [None, None, "repeated_contact"]
    events = closed_by_a_person(time.time() - 60)
    events.append(user("refund_status", "has the refund for 10004 gone through?", time.time()))
    assert await handoff_reason("telegram-1", events, domain) is None


async def test_the_same_question_again_after_a_person_closed_it_is_a_repeated_contact(
    action_redis: str, domain: dict
) -> None:
    assert await came_back_three_times(domain) == [None, None, "repeated_contact"]
    events = closed_by_a_person(time.time() - 60)
    events.append(user("request_refund", "I still want my refund for 10004", time.time()))
    assert await handoff_reason("telegram-1", events, domain) == "repeated_contact"
