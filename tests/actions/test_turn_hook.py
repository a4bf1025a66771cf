"""The one action Rasa calls after every customer message: identity and mood in one call."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.turn_hook import ActionReadTurn


def widget_message(text: str, intent: str) -> Tracker:
    """A signed-in widget customer's message: the channel verified the shop's token."""
    metadata = {"verified_customer": {"email": "carol@example.com"}}
    parse_data = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": []}
    user = {"event": "user", "text": text, "input_channel": "socketio", "metadata": metadata}
    return Tracker(
        sender_id="turn-hook",
        slots={},
        latest_message={**parse_data, "metadata": metadata},
        events=[{"event": "action", "name": "action_listen"}, {**user, "parse_data": parse_data}],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


async def test_one_call_names_the_customer_and_hands_an_angry_request_over(
    action_redis: str, domain: dict[str, Any]
) -> None:
    tracker = widget_message("I want a person NOW, this is useless!!!", "request_human")
    events = await ActionReadTurn().run(CollectingDispatcher(), tracker, domain)
    slots = {event["name"]: event["value"] for event in events if event["event"] == "slot"}
    assert slots["verified_email"] == "carol@example.com"
    assert slots["live_agent_handoff"] is True
    assert slots["handoff_reason"] == "customer_request"
    assert slots["frustration_level"] in {"annoyed", "frustrated"}
    # Identity first, as when the two were separate actions.
    assert events[0]["name"] == "verified_email"
