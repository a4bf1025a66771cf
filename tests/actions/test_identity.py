"""Who the customer is: widget tokens trusted only from the widget's channel, Slack/Telegram
users remembered in a real Redis for the configured time, identity never carried into a new
session, and form answers never counted as requests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import redis
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.identity import ActionIdentifyCustomer, email_in, remember
from actions.session import ActionSessionStart
from actions.settings import load_identity_settings, load_settings
from contract import keys
from contract.form_answers import answers
from harness.redis_server import RedisServer


def tracker_from(channel: str, metadata: dict[str, Any] | None = None,
                 slots: dict[str, Any] | None = None) -> Tracker:  # fmt: skip
    """A tracker whose latest message came through `channel` with `metadata`."""
    user = {"event": "user", "text": "hi", "input_channel": channel, "metadata": metadata or {}}
    return Tracker(
        sender_id="U123",
        slots=dict(slots or {}),
        latest_message={"text": "hi", "intent": {"name": "greet"}, "metadata": metadata or {}},
        events=[user],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


@pytest.fixture
def action_redis(redis_server: RedisServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The action server's Redis pointed at the test's own server."""
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    load_settings.cache_clear()
    yield redis_server.url
    load_settings.cache_clear()


def slots_of(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


@pytest.mark.parametrize(
    ("text", "email"),
    [("it's Alice@Example.com thanks", "alice@example.com"), ("alice at example dot com", None),
     (None, None), ("a@b", None)],
)  # fmt: skip
def test_email_in_text(text: Any, email: str | None) -> None:
    assert email_in(text) == email


async def test_widget_token_names_the_customer_only_on_the_widget_channel() -> None:
    token = {"verified_customer": {"email": "carol@example.com"}}
    widget = await ActionIdentifyCustomer().run(
        CollectingDispatcher(), tracker_from("socketio", token), {}
    )
    assert slots_of(widget) == {"verified_email": "carol@example.com", "proven_order": None}
    forged = await ActionIdentifyCustomer().run(
        CollectingDispatcher(), tracker_from("rest", token), {}
    )
    assert forged == []


async def test_slack_user_who_proved_an_email_is_remembered(action_redis: str) -> None:
    slack = tracker_from("slack")
    await remember(slack, "erin@example.com")
    client = redis.Redis.from_url(action_redis)
    key = keys.verified_customer("slack", "U123")
    ttl = client.ttl(key)
    assert 0 < ttl <= load_identity_settings().remember_s
    events = await ActionIdentifyCustomer().run(CollectingDispatcher(), tracker_from("slack"), {})
    assert slots_of(events)["verified_email"] == "erin@example.com"
    # The same user id on another channel is someone else.
    assert (
        await ActionIdentifyCustomer().run(CollectingDispatcher(), tracker_from("rest"), {}) == []
    )
    client.delete(key)  # expired: the next conversation asks again
    assert (
        await ActionIdentifyCustomer().run(CollectingDispatcher(), tracker_from("slack"), {}) == []
    )


async def test_rest_customers_are_never_remembered(action_redis: str) -> None:
    await remember(tracker_from("rest"), "erin@example.com")
    assert not redis.Redis.from_url(action_redis).keys("cs:verified:*")


async def test_new_session_keeps_the_order_but_not_the_identity() -> None:
    slots = {
        "order_number": "10002",
        "verified_email": "alice@example.com",
        "proven_order": "10002",
        "verify_attempts": 2.0,
        "frustration_level": "annoyed",
    }
    events = await ActionSessionStart().run(
        CollectingDispatcher(), tracker_from("rest", slots=slots), {}
    )
    kept = slots_of(events)
    assert kept == {"order_number": "10002", "frustration_level": "annoyed"}
    assert events[0]["event"] == "session_started" and events[-1]["name"] == "action_listen"


def test_answers_to_a_forms_questions_are_found() -> None:
    asked = {"event": "user", "text": "The kettle arrived with a cracked lid"}
    confirmed = {"event": "user", "text": "yes"}
    request = {"event": "user", "text": "refund please"}
    events = [
        request,
        {"event": "active_loop", "name": "refund_form"},
        {"event": "slot", "name": "requested_slot", "value": "refund_reason"},
        asked,
        {"event": "slot", "name": "requested_slot", "value": "refund_confirmed"},
        confirmed,
        {"event": "active_loop", "name": None},
        {"event": "user", "text": "thanks"},
    ]
    assert answers(events) == [asked, confirmed]
