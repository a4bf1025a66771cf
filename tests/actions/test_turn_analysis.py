"""The per-turn handoff decision piece by piece (the event readers of contract/events.py, the
rules of actions/handoff_rules.py) and as one action (actions/turn_analysis.py).

End to end these rules are only seen through a running Rasa server, where a wrong priority or
an off-by-one in "messages in a row" hides behind NLU noise. Here each piece gets a tracker
built by hand and its exact answer is asserted; the action itself runs against a real Redis.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import pytest
import redis
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff_rules import (
    consecutive_failures,
    conversation_topic,
    decide_handoff,
    identities,
    repeated_request,
)
from actions.history import redis_client
from actions.settings import load_settings
from actions.turn_analysis import ActionAnalyzeTurn
from analytics.counts import Period, read_counts
from analytics.recorder import ROSE_FLOW
from contract.events import already_analysed, delivered_turns, turns_since_resume
from contract.slots import (
    FRUSTRATION_LEVEL,
    FRUSTRATION_SCORE,
    HANDOFF_REASON,
    LIVE_AGENT_HANDOFF,
    PERSON_OFFERED,
    SENTIMENT_SCORE,
)
from contract.topics import load_topics
from contract.turns import read_turns
from harness.helpers import free_port
from mood.settings import HandoffTriggers, load_handoff_triggers
from tests.actions.conftest import make_tracker

MOOD_SLOTS = [SENTIMENT_SCORE, FRUSTRATION_SCORE, FRUSTRATION_LEVEL]
HANDOFF_SLOTS = [LIVE_AGENT_HANDOFF, HANDOFF_REASON]


@pytest.fixture(scope="module")
def triggers() -> HandoffTriggers:
    """The shipped config/handoff.yml triggers: the rules as customers meet them."""
    return load_handoff_triggers()


@pytest.fixture(scope="module")
def topics() -> dict[str, str]:
    """The shipped config/topics.yml groups: what counts as the same request."""
    return load_topics().groups


def user(intent: str | None, text: str = "blorp wibble") -> dict[str, Any]:
    """A user event as the action server receives it (intent under parse_data)."""
    parse_data: dict[str, Any] = {"text": text, "entities": []}
    if intent is not None:
        parse_data["intent"] = {"name": intent, "confidence": 1.0}
    return {"event": "user", "text": text, "parse_data": parse_data}


def slot(name: str, value: Any) -> dict[str, Any]:
    """A SlotSet event as a dict."""
    return {"event": "slot", "name": name, "value": value}


def event(kind: str) -> dict[str, Any]:
    """An event without payload (resume, restart, session_started)."""
    return {"event": kind}


def intents(turns: list[dict[str, Any]]) -> list[str | None]:
    """The intents of user events, to compare lists briefly."""
    return [e["parse_data"].get("intent", {}).get("name") for e in turns]


# --- turns_since_resume ------------------------------------------------------------------------


def test_turns_since_resume_starts_after_the_latest_hand_back() -> None:
    events = [user("check_delivery"), event("resume"), user("greet"), user("nlu_fallback")]
    assert intents(turns_since_resume(events)) == ["greet", "nlu_fallback"]


@pytest.mark.parametrize("boundary", ["session_started", "restart"])
def test_turns_since_resume_starts_after_a_new_session_or_restart(boundary: str) -> None:
    events = [user("nlu_fallback"), event(boundary), event("action"), user("check_delivery")]
    assert intents(turns_since_resume(events)) == ["check_delivery"]


def test_turns_since_resume_keeps_every_user_turn_in_order_without_a_boundary() -> None:
    events = [user("greet"), {"event": "bot", "text": "hi"}, user("check_delivery"), user("deny")]
    assert intents(turns_since_resume(events)) == [
        "greet",
        "check_delivery",
        "deny",
    ]


# --- already_analysed --------------------------------------------------------------------------


def test_a_message_scored_already_is_not_scored_again() -> None:
    """Rasa runs slot extraction again when a form starts: the second run must not count."""
    assert already_analysed([user("greet"), slot(SENTIMENT_SCORE, 0.1)]) is True


def test_a_new_message_after_a_scored_one_is_not_analysed_yet() -> None:
    events = [user("greet"), slot(SENTIMENT_SCORE, 0.1), user("deny")]
    assert already_analysed(events) is False


def test_other_slots_after_the_message_do_not_mark_it_analysed() -> None:
    assert already_analysed([user("greet"), slot(FRUSTRATION_LEVEL, "calm")]) is False
    assert already_analysed([]) is False


# --- consecutive_failures ----------------------------------------------------------------------


def test_consecutive_failures_counts_only_the_latest_run(triggers: HandoffTriggers) -> None:
    turns = [
        user("nlu_fallback"),
        user("check_delivery"),
        user("nlu_fallback"),
        user("out_of_scope"),
    ]
    assert consecutive_failures(turns, triggers.failure_intents) == 2


def test_an_understood_message_ends_the_run(triggers: HandoffTriggers) -> None:
    turns = [user("nlu_fallback"), user("out_of_scope"), user("check_delivery")]
    assert consecutive_failures(turns, triggers.failure_intents) == 0
    assert consecutive_failures([], triggers.failure_intents) == 0


def test_a_message_without_an_intent_is_not_a_failure(triggers: HandoffTriggers) -> None:
    assert consecutive_failures([user("nlu_fallback"), user(None)], triggers.failure_intents) == 0


# --- repeated_request and conversation_topic ---------------------------------------------------


@pytest.mark.parametrize(
    ("sequence", "expected"),
    [
        (["check_delivery", "greet", "check_delivery"], True),
        (["request_refund", "refund_status"], True),  # one group: refund
        (["check_delivery", "request_refund"], False),
        (["return_policy", "return_policy"], False),  # no group: never "the same request"
        (["check_delivery", "check_delivery", "greet"], False),  # only the latest one counts
        (["check_delivery"], False),
        ([], False),
    ],
)
def test_repeated_request_compares_the_latest_request_with_earlier_ones(
    topics: dict[str, str], sequence: list[str], expected: bool
) -> None:
    turns = [user(intent) for intent in sequence]
    assert repeated_request(turns, topics) is expected


@pytest.mark.parametrize(
    ("sequence", "expected"),
    [
        (["check_delivery", "nlu_fallback", "greet"], "delivery"),
        (["check_delivery", "cancel_order", "affirm"], "cancellation"),
        (["refund_status"], "refund"),
        (["greet", "return_policy"], None),
        ([], None),
    ],
)
def test_conversation_topic_is_the_latest_routine_request(
    topics: dict[str, str], sequence: list[str], expected: str | None
) -> None:
    turns = [user(intent) for intent in sequence]
    assert conversation_topic(turns, topics) == expected


# --- decide_handoff ----------------------------------------------------------------------------


def test_asking_for_a_person_wins_over_every_other_reason(triggers: HandoffTriggers) -> None:
    reason = decide_handoff(triggers, "request_human", 5, True, True)
    assert reason == "customer_request"


def test_repeated_contact_wins_over_failures_and_mood(triggers: HandoffTriggers) -> None:
    assert decide_handoff(triggers, "check_delivery", 5, True, True) == "repeated_contact"


def test_failures_hand_over_from_the_configured_count(triggers: HandoffTriggers) -> None:
    assert triggers.consecutive_failures == 2  # config/handoff.yml; the cases below rely on it
    assert decide_handoff(triggers, "nlu_fallback", 1, False, False) is None
    assert decide_handoff(triggers, "nlu_fallback", 2, False, False) == "repeated_failure"
    assert decide_handoff(triggers, "nlu_fallback", 2, False, True) == "repeated_failure"


def test_mood_hands_over_last(triggers: HandoffTriggers) -> None:
    assert decide_handoff(triggers, "check_delivery", 1, False, True) == "frustration"


def test_nothing_hands_over_a_calm_understood_customer(triggers: HandoffTriggers) -> None:
    assert decide_handoff(triggers, "check_delivery", 0, False, False) is None
    assert decide_handoff(triggers, None, 0, False, False) is None


# --- identities --------------------------------------------------------------------------------


def test_only_proven_identities_link_conversations() -> None:
    """A proven email (normalised) and a proven order are filed; the sender always is."""
    assert identities("web-123", "10004", " Bob@Example.com", True) == (
        ("sender", "web-123"),
        ("email", "bob@example.com"),
        ("order", "10004"),
    )


def test_an_unproven_order_or_email_is_filed_under_the_sender_only() -> None:
    """Typed order numbers and emails are anybody's: they link nothing across senders."""
    assert identities("web-9", "10004", None, False) == (("sender", "web-9"),)
    assert identities("web-9", "10004", "not-an-email", False) == (("sender", "web-9"),)
    assert identities("tg-42", None, None, False) == (("sender", "tg-42"),)


# --- the action, against a real Redis ----------------------------------------------------------


def conversation(
    messages: list[tuple[str, str]],
    sender_id: str,
    slots: dict[str, Any] | None = None,
    entities: list[dict[str, Any]] | None = None,
) -> Tracker:
    """A tracker as Rasa sends it while extracting slots after the last of `messages`.

    Each earlier message was analysed already (its sentiment slot follows it); the last one
    is the latest message, with `entities`.
    """
    events: list[dict[str, Any]] = [
        {"event": "session_started", "timestamp": 1_700_000_000.0},
        {"event": "action", "name": "action_listen"},
    ]
    for index, (intent, text) in enumerate(messages):
        events.append(user(intent, text))
        if index < len(messages) - 1:
            events += [slot(SENTIMENT_SCORE, 0.0), {"event": "action", "name": "action_listen"}]
    intent, text = messages[-1]
    return make_tracker(
        slots=slots, text=text, intent=intent, events=events, sender_id=sender_id, entities=entities
    )


async def analyse(tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
    """Runs action_analyze_turn the way Rasa's slot extraction does."""
    return await ActionAnalyzeTurn().run(CollectingDispatcher(), tracker, domain)


def names(events: list[dict[str, Any]]) -> list[str]:
    """The slot names the action set, in order."""
    return [e["name"] for e in events]


def recorded_turns(redis_url: str, conversation_id: str) -> list[dict[str, Any]]:
    """The per-turn series the desk reads for this conversation."""
    client = redis.Redis.from_url(redis_url)
    try:
        return read_turns(client, conversation_id)
    finally:
        client.close()


async def test_second_misunderstanding_sets_the_handoff_slots_and_records_the_turn(
    action_redis: str, domain: dict[str, Any]
) -> None:
    tracker = conversation(
        [("nlu_fallback", "blorf wuzzle gnark"), ("nlu_fallback", "zzkq plimf vorb")], "fail-2"
    )
    events = await analyse(tracker, domain)
    assert names(events) == MOOD_SLOTS + HANDOFF_SLOTS
    assert events[3]["value"] is True and events[4]["value"] == "repeated_failure"
    [turn] = recorded_turns(action_redis, "fail-2")
    assert turn["text"] == "zzkq plimf vorb" and turn["intent"] == "nlu_fallback"
    assert "consecutive_failures" in turn["reasons"]


async def test_a_conversation_handed_over_already_is_scored_but_not_handed_over_again(
    action_redis: str, domain: dict[str, Any]
) -> None:
    """While a person has it, every message is still scored for the desk's chart."""
    tracker = conversation(
        [("nlu_fallback", "blorf"), ("nlu_fallback", "gnark")],
        "held-1",
        slots={LIVE_AGENT_HANDOFF: True, HANDOFF_REASON: "customer_request"},
    )
    assert names(await analyse(tracker, domain)) == MOOD_SLOTS
    assert len(recorded_turns(action_redis, "held-1")) == 1


async def test_a_message_analysed_already_changes_nothing(
    action_redis: str, domain: dict[str, Any]
) -> None:
    tracker = conversation([("request_human", "a person please")], "twice-1")
    tracker.events.append(slot(SENTIMENT_SCORE, 0.0))
    assert await analyse(tracker, domain) == []
    assert recorded_turns(action_redis, "twice-1") == []


async def test_the_third_conversation_about_the_same_order_hands_over(
    action_redis: str, domain: dict[str, Any]
) -> None:
    """Three senders, one proven customer: the contact history links them (count 3 in 14 days)."""
    order = [{"entity": "order_number", "value": "10004"}]
    proven = {"verified_email": "bob@example.com", "proven_order": "10004"}
    reasons = []
    for sender in ("web-1", "slack-1", "telegram-1"):
        tracker = conversation(
            [("check_delivery", "where is order 10004?")], sender, slots=proven, entities=order
        )
        events = await analyse(tracker, domain)
        reasons.append(events[4]["value"] if len(events) == 5 else None)
    assert reasons == [None, None, "repeated_contact"]


async def handoff_reason_of(
    sender: str, domain: dict[str, Any], slots: dict[str, Any] | None = None
) -> Any:
    """The handoff reason set when `sender` asks where order 10004 is, or None."""
    order = [{"entity": "order_number", "value": "10004"}]
    tracker = conversation(
        [("check_delivery", "where is order 10004? bob@example.com")],
        sender,
        slots=slots,
        entities=[*order, {"entity": "email", "value": "bob@example.com"}],
    )
    events = await analyse(tracker, domain)
    return events[4]["value"] if len(events) == 5 else None


async def test_strangers_naming_an_order_never_hand_its_owner_over(
    action_redis: str, domain: dict[str, Any]
) -> None:
    """Finding 1: three strangers asking about 10004 (typing its owner's email, even) blocked
    everyone, the owner included; now each unproven mention counts in its own conversation."""
    strangers = [await handoff_reason_of(f"stranger-{n}", domain) for n in range(5)]
    assert strangers == [None] * 5
    owner = {"verified_email": "bob@example.com", "proven_order": "10004"}
    assert await handoff_reason_of("bob-web", domain, owner) is None
    # The owner's own third time back is still recognised, whatever strangers did.
    assert await handoff_reason_of("bob-slack", domain, owner) is None
    assert await handoff_reason_of("bob-telegram", domain, owner) == "repeated_contact"


async def test_one_sender_coming_back_unproven_is_still_counted(
    action_redis: str, domain: dict[str, Any]
) -> None:
    """The sender id is the customer's own: three sessions of one sender about one order."""
    reasons = []
    for session in range(3):
        order = [{"entity": "order_number", "value": "10004"}]
        tracker = conversation(
            [("check_delivery", "where is order 10004?")], "same-1", entities=order
        )
        tracker.events[0]["timestamp"] = 1_700_000_000.0 + session
        events = await analyse(tracker, domain)
        reasons.append(events[4]["value"] if len(events) == 5 else None)
    assert reasons == [None, None, "repeated_contact"]


@pytest.fixture
async def redis_down(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[None]:
    """The action server's Redis points at a port where nothing listens."""
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    load_settings.cache_clear()
    try:
        yield
    finally:
        await redis_client().close()
        load_settings.cache_clear()


async def test_without_redis_the_turn_is_still_judged(
    redis_down: None, domain: dict[str, Any]
) -> None:
    """Contact history and the turn series are extras: the customer still reaches a person."""
    tracker = conversation(
        [("check_delivery", "where is order 10004"), ("request_human", "let me talk to a person")],
        "no-redis-1",
    )
    events = await analyse(tracker, domain)
    assert names(events) == MOOD_SLOTS + HANDOFF_SLOTS
    assert events[4]["value"] == "customer_request"


def scored_conversation(
    messages: list[tuple[str, str]], smoothed: list[float], sender_id: str, offered: bool = False
) -> Tracker:
    """A tracker after the last of `messages`, each earlier one scored (its smoothed mood in
    frustration_score, as action_read_turn sets it); `offered`: the assistant offered a person
    before the last message."""
    events: list[dict[str, Any]] = [{"event": "session_started", "timestamp": 1_700_000_000.0}]
    for (intent, text), score in zip(messages, smoothed, strict=False):
        events += [user(intent, text), slot(SENTIMENT_SCORE, 0.0), slot(FRUSTRATION_SCORE, score)]
        events.append({"event": "bot", "text": "Sorry about that."})
    if offered:
        events.insert(-1, slot(PERSON_OFFERED, True))
    intent, text = messages[-1]
    events.append(user(intent, text))
    slots = {FRUSTRATION_SCORE: smoothed[-1] if smoothed else 0.0, PERSON_OFFERED: offered}
    return make_tracker(slots=slots, text=text, intent=intent, events=events, sender_id=sender_id)


async def test_a_customer_who_stays_annoyed_is_offered_a_person_then_handed_over(
    action_redis: str, domain: dict[str, Any]
) -> None:
    """Annoyed after two messages in a row, a third annoyed one: the offer (config
    handoff.sustained); still annoyed at the next message: a person takes over."""
    messages = [
        ("check_delivery", "where is order 10003"),
        ("complain", "not impressed, to be honest"),
        ("complain", "this is taking a while"),
        ("complain", "I'm not happy about this"),
    ]
    dispatcher = CollectingDispatcher()
    tracker = scored_conversation(messages, [0.1, 0.38, 0.42], "sustained-1")
    events = await ActionAnalyzeTurn().run(dispatcher, tracker, domain)
    assert names(events) == [*MOOD_SLOTS, PERSON_OFFERED]
    assert events[2]["value"] == "annoyed"
    assert events[3]["value"] is True

    messages.append(("complain", "this still isn't sorted, honestly"))
    later = scored_conversation(
        messages, [0.1, 0.38, 0.42, events[1]["value"]], "sustained-1", offered=True
    )
    again = CollectingDispatcher()
    events = await ActionAnalyzeTurn().run(again, later, domain)
    assert names(events) == [*MOOD_SLOTS, PERSON_OFFERED, *HANDOFF_SLOTS]
    assert events[3]["value"] is False
    assert events[-1]["value"] == "frustration"


async def test_calm_messages_are_never_offered_a_person(
    action_redis: str, domain: dict[str, Any]
) -> None:
    messages = [
        ("check_delivery", "where is order 10001?"),
        ("check_delivery", "and order 10002?"),
        ("thank", "great, thanks"),
        ("return_policy", "what is your return policy"),
    ]
    dispatcher = CollectingDispatcher()
    tracker = scored_conversation(messages, [0.1, 0.15, 0.12], "calm-offer-1")
    events = await ActionAnalyzeTurn().run(dispatcher, tracker, domain)
    assert names(events) == MOOD_SLOTS


async def test_frustration_rising_is_counted_against_the_requests_flow(
    action_redis: str, domain: dict[str, Any]
) -> None:
    """The analytics page's "frustration rose in flow" names the request's topic, not none."""
    tracker = conversation(
        [("request_refund", "THIS IS RIDICULOUS!!! REFUND ORDER 10012 NOW, WORST SHOP EVER")],
        "rose-1",
    )
    await analyse(tracker, domain)
    client = redis.Redis.from_url(action_redis, decode_responses=True)
    try:
        today = date.today()
        flows = read_counts(client, Period(today - timedelta(days=1), today)).details(ROSE_FLOW)
    finally:
        client.close()
    assert dict(flows) == {load_topics().groups["request_refund"]: 1.0}


async def test_a_resent_message_that_did_not_go_through_is_not_a_second_try(
    action_redis: str, domain: dict[str, Any]
) -> None:
    """Finding 5: with the action server down, the customer is told to send the message again,
    but Rasa has stored it; the resend then looked like asking twice (a repeated request) or a
    second misunderstanding in a row (a handoff). A message never analysed does not count."""
    for intent, text in [("nlu_fallback", "blorf wuzzle gnark"), ("check_delivery", "parcel?")]:
        tracker = conversation([(intent, text), (intent, text)], f"resent-{intent}")
        # The first message was stored while the action server was down: no analysis after it.
        tracker.events[:] = [e for e in tracker.events if e.get("name") != SENTIMENT_SCORE]
        events = await analyse(tracker, domain)
        assert names(events) == MOOD_SLOTS, intent
        [turn] = recorded_turns(action_redis, f"resent-{intent}")
        assert "consecutive_failures" not in turn["reasons"]
        assert "repeated_request" not in turn["reasons"]


def test_delivered_turns_keep_analysed_messages_and_the_latest() -> None:
    events = [
        user("check_delivery", "a"),
        slot(SENTIMENT_SCORE, 0.1),
        user("check_delivery", "b"),  # did not go through
        user("check_delivery", "c"),
        slot(SENTIMENT_SCORE, 0.0),
        user("thank", "d"),
    ]
    assert [t["text"] for t in delivered_turns(events)] == ["a", "c", "d"]
