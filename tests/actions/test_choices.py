"""Ask instead of guessing (actions/choices.py): what an unclear message is offered, what a
pressed choice carries on with, and how choices count for the repeated-failure handoff.

The actions run on trackers built by hand with the shipped config/choices.yml; a payload is
read back by Rasa's own button parser, so a choice is proven to start the request it names.
"""

from __future__ import annotations

from typing import Any

import pytest
from rasa.nlu.classifiers.regex_message_handler import RegexMessageHandler
from rasa.shared.nlu.training_data.message import Message
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.choices import (
    ActionAnswerComplaint,
    ActionOfferChoices,
    ignored_offers,
    likely_requests,
    offered_times,
    rejection_times,
    request_words,
)
from actions.handoff_rules import consecutive_failures
from actions.inform import ActionHandleInform
from actions.order_forms import ValidateDeliveryForm, named_orders
from actions.refunds import reason_already_given
from actions.settings import load_choice_settings
from actions.turn_analysis import ActionAnalyzeTurn
from contract.slots import HANDOFF_REASON, LIVE_AGENT_HANDOFF, SENTIMENT_SCORE
from mood.settings import load_handoff_triggers

RANKING_REFUND = [
    {"name": "nlu_fallback", "confidence": 0.6},
    {"name": "request_refund", "confidence": 0.49},
    {"name": "refund_status", "confidence": 0.34},
    {"name": "inform", "confidence": 0.04},
]
RANKING_PARCEL = [
    {"name": "nlu_fallback", "confidence": 0.6},
    {"name": "check_delivery", "confidence": 0.52},
    {"name": "greet", "confidence": 0.2},
    {"name": "report_missing", "confidence": 0.33},
]
RANKING_NOTHING = [
    {"name": "nlu_fallback", "confidence": 0.6},
    {"name": "deny", "confidence": 0.3},
    {"name": "request_refund", "confidence": 0.02},
]


def message(
    text: str,
    intent: str,
    ts: float,
    ranking: list[dict[str, Any]] | None = None,
    order: str | None = None,
) -> dict[str, Any]:
    """A user event as Rasa sends it to the action server."""
    entities = [{"entity": "order_number", "value": order}] if order else []
    parse_data = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0 if ranking is None else 0.6},
        "intent_ranking": ranking or [],
        "entities": entities,
    }
    return {"event": "user", "text": text, "timestamp": ts, "parse_data": parse_data}


def offer(ts: float) -> list[dict[str, Any]]:
    """What the offer action leaves in the tracker after an unclear message."""
    buttons = [{"title": "Start a refund", "payload": "/request_refund"}]
    return [
        {"event": "action", "name": "action_offer_choices", "timestamp": ts},
        {"event": "bot", "text": "I'm not sure", "data": {"buttons": buttons}, "timestamp": ts},
    ]


def tracker_after(events: list[dict[str, Any]], slots: dict[str, Any] | None = None) -> Tracker:
    """A tracker whose latest message is the last user event of `events`."""
    latest = next(e for e in reversed(events) if e["event"] == "user")
    return Tracker(
        "choices-test",
        dict(slots or {}),
        latest["parse_data"],
        events,
        False,
        None,
        {},
        "action_listen",
    )


async def run_offer(tracker: Tracker) -> list[dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    assert await ActionOfferChoices().run(dispatcher, tracker, {}) == []
    return dispatcher.messages


def titles(sent: dict[str, Any]) -> list[str]:
    return [button["title"] for button in sent["buttons"]]


def parse_payload(payload: str) -> tuple[str, dict[str, str]]:
    """The intent and entities Rasa reads from a button payload."""
    [parsed] = RegexMessageHandler().process([Message.build(text=payload)])
    entities = {e["entity"]: e["value"] for e in parsed.get("entities", [])}
    return parsed.get("intent")["name"], entities


def test_the_two_likeliest_labelled_requests_are_offered_best_first() -> None:
    settings = load_choice_settings()
    assert likely_requests({"intent_ranking": RANKING_REFUND}, settings) == [
        "request_refund",
        "refund_status",
    ]
    # greet has no label; report_missing is ranked after it but still offered.
    assert likely_requests({"intent_ranking": RANKING_PARCEL}, settings) == [
        "check_delivery",
        "report_missing",
    ]
    assert likely_requests({"intent_ranking": RANKING_NOTHING}, settings) == []


async def test_choices_are_plain_words_and_something_else() -> None:
    unclear = message("my money", "nlu_fallback", 1, RANKING_REFUND)
    [sent] = await run_offer(tracker_after([unclear]))
    assert sent["response"] == "utter_offer_choices"
    assert titles(sent) == ["Start a refund", "Check a refund I asked for", "Something else"]
    assert [parse_payload(b["payload"]) for b in sent["buttons"]] == [
        ("request_refund", {}),
        ("refund_status", {}),
        ("deny", {}),
    ]


async def test_a_korean_conversation_gets_korean_choices_with_the_same_payloads() -> None:
    unclear = message("돈 얘기요", "nlu_fallback", 1, RANKING_REFUND)
    [sent] = await run_offer(tracker_after([unclear], {"language": "ko"}))
    assert titles(sent) == ["환불 신청할게요", "신청한 환불 확인할게요", "다른 문의예요"]
    assert [parse_payload(b["payload"])[0] for b in sent["buttons"]] == [
        "request_refund",
        "refund_status",
        "deny",
    ]


async def test_a_choice_keeps_the_order_number_of_the_unclear_message() -> None:
    unclear = message("headphones never came, 10001, check?", "nlu_fallback", 1, RANKING_PARCEL)
    unclear["parse_data"]["entities"] = [{"entity": "order_number", "value": "#10001"}]
    [sent] = await run_offer(tracker_after([unclear], {"order_number": "10003"}))
    assert sent["response"] == "utter_offer_choices_order"
    assert sent["order_number"] == "10001"  # the order named now, not the earlier one
    assert titles(sent)[:2] == ["Where is my parcel?", "It says delivered but I don't have it"]
    assert parse_payload(sent["buttons"][0]["payload"]) == (
        "check_delivery",
        {"order_number": "10001"},
    )


async def test_a_choice_keeps_the_order_the_conversation_is_about() -> None:
    tracker = tracker_after(
        [message("my money", "nlu_fallback", 1, RANKING_REFUND)], {"order_number": "10004"}
    )
    [sent] = await run_offer(tracker)
    assert sent["order_number"] == "10004"
    assert parse_payload(sent["buttons"][0]["payload"]) == (
        "request_refund",
        {"order_number": "10004"},
    )


async def test_nothing_likely_asks_to_rephrase_without_buttons() -> None:
    [sent] = await run_offer(tracker_after([message("lamp", "nlu_fallback", 1, RANKING_NOTHING)]))
    assert sent["response"] == "utter_ask_rephrase"
    assert sent["buttons"] == []


async def test_nothing_likely_about_the_conversations_order_offers_its_requests() -> None:
    """ "the lamp ... was lost" right after a refund on 10004 is not asked for a number."""
    unclear = message("the lamp ... was lost", "nlu_fallback", 1, RANKING_NOTHING)
    [sent] = await run_offer(tracker_after([unclear], {"order_number": "10004"}))
    assert sent["response"] == "utter_offer_choices_order" and sent["order_number"] == "10004"
    assert titles(sent) == [
        "Where is my parcel?",
        "It says delivered but I don't have it",
        "Start a refund",
        "Check a refund I asked for",
        "Something else",
    ]
    assert parse_payload(sent["buttons"][1]["payload"]) == (
        "report_missing",
        {"order_number": "10004"},
    )


async def test_a_complaint_about_the_conversations_order_offers_its_requests() -> None:
    dispatcher = CollectingDispatcher()
    complaint = message("the lamp was broken", "complain", 1)
    tracker = tracker_after([complaint], {"order_number": "10004"})
    await ActionAnswerComplaint().run(dispatcher, tracker, {})
    [sent] = dispatcher.messages
    assert sent["response"] == "utter_complaint_about_order" and sent["order_number"] == "10004"
    assert titles(sent) == [
        "Where is my parcel?",
        "It says delivered but I don't have it",
        "Start a refund",
        "Check a refund I asked for",
        "Talk to a person",
    ]
    assert parse_payload(sent["buttons"][2]["payload"]) == (
        "request_refund",
        {"order_number": "10004"},
    )


async def test_a_korean_complaint_about_the_order_offers_korean_requests() -> None:
    dispatcher = CollectingDispatcher()
    complaint = message("램프가 깨져서 왔어요", "complain", 1)
    await ActionAnswerComplaint().run(
        dispatcher, tracker_after([complaint], {"order_number": "10004", "language": "ko"}), {}
    )
    [sent] = dispatcher.messages
    assert titles(sent)[0] == "택배 어디쯤 왔어요?" and titles(sent)[-1] == "상담원 연결"


async def test_a_complaint_without_an_order_asks_for_it() -> None:
    dispatcher = CollectingDispatcher()
    await ActionAnswerComplaint().run(
        dispatcher, tracker_after([message("this is a joke", "complain", 1)]), {}
    )
    assert [m["response"] for m in dispatcher.messages] == ["utter_complaint"]


async def test_a_remark_without_an_order_number_is_about_the_conversations_order() -> None:
    """ "the lamp was broken" right after a refund on 10004: asked what to do with 10004, not
    for an order number; with no order yet, asked what the customer needs."""
    remark = message("the lamp was broken", "inform", 1)
    dispatcher = CollectingDispatcher()
    await ActionHandleInform().run(
        dispatcher, tracker_after([remark], {"order_number": "10004"}), {}
    )
    assert [(m["response"], m.get("order_number")) for m in dispatcher.messages] == [
        ("utter_what_about_order", "10004")
    ]
    dispatcher = CollectingDispatcher()
    await ActionHandleInform().run(dispatcher, tracker_after([remark]), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_what_do_you_need"]


def test_a_refund_chosen_from_the_choices_keeps_the_reason_of_the_unclear_message() -> None:
    events = [
        message("the kettle from 10012 leaks, money?", "nlu_fallback", 1, RANKING_REFUND, "10012"),
        *offer(1.5),
        message('/request_refund{"order_number": "10012"}', "request_refund", 2, None, "10012"),
    ]
    assert request_words(events, "request_refund") == "the kettle from 10012 leaks, money?"
    assert reason_already_given(tracker_after(events)) is not None
    assert "leaks" in str(reason_already_given(tracker_after(events)))


def failures(events: list[dict[str, Any]]) -> int:
    """Failures in a row as the turn analysis counts them (latest turn included)."""
    turns = [e for e in events if e["event"] == "user"]
    offered = offered_times(events)
    rejected = rejection_times(turns, offered)
    failure_intents = load_handoff_triggers().failure_intents
    understood = offered - rejected - ignored_offers(turns, offered, failure_intents)
    return consecutive_failures(turns, failure_intents, understood, rejected)


def test_an_unclear_message_answered_with_choices_is_not_a_failure() -> None:
    before = [message("do you sell gift cards", "out_of_scope", 1)]
    unclear = message("my money", "nlu_fallback", 2, RANKING_REFUND)
    assert failures([*before, unclear, *offer(2.5)]) == 0
    chosen = message("/request_refund", "request_refund", 3)
    assert failures([*before, unclear, *offer(2.5), chosen]) == 0
    # Without the offer (no likely request) the same message was a second failure.
    assert failures([*before, unclear]) == 2


def test_turning_the_choices_down_is_one_failure_and_a_second_one_hands_over() -> None:
    events = [message("my money", "nlu_fallback", 1, RANKING_REFUND), *offer(1.5)]
    events.append(message("/deny", "deny", 2))
    assert failures(events) == 1
    events.append(message("do you sell gift cards", "out_of_scope", 3))
    assert failures(events) == 2


def test_two_unclear_messages_in_a_row_are_two_failures_even_with_choices() -> None:
    events = [
        message("my money", "nlu_fallback", 1, RANKING_REFUND),
        *offer(1.5),
        message("the parcel thing", "nlu_fallback", 2, RANKING_PARCEL),
        *offer(2.5),
    ]
    assert failures(events) == 2
    events[-3:] = [message("do you sell gift cards", "out_of_scope", 2)]
    assert failures(events) == 2


@pytest.mark.usefixtures("action_redis")
async def test_the_turn_analysis_does_not_count_an_offer_as_a_failure(
    domain: dict[str, Any],
) -> None:
    """Out of scope, then an unclear message that gets choices: no repeated-failure handoff,
    where two failures used to hand over at once."""
    events: list[dict[str, Any]] = [
        {"event": "session_started", "timestamp": 1_700_000_000.0},
        message("do you sell gift cards", "out_of_scope", 1_700_000_001.0),
        {"event": "slot", "name": SENTIMENT_SCORE, "value": 0.0, "timestamp": 1_700_000_001.1},
        message("my money", "nlu_fallback", 1_700_000_002.0, RANKING_REFUND),
    ]
    set_slots = await ActionAnalyzeTurn().run(
        CollectingDispatcher(), tracker_after(events, {"frustration_level": "calm"}), domain
    )
    assert LIVE_AGENT_HANDOFF not in [e["name"] for e in set_slots]
    events[-1] = message("blorf wuzzle", "nlu_fallback", 1_700_000_002.0, RANKING_NOTHING)
    set_slots = await ActionAnalyzeTurn().run(
        CollectingDispatcher(), tracker_after(events, {"frustration_level": "calm"}), domain
    )
    assert {e["name"]: e["value"] for e in set_slots}.get(HANDOFF_REASON) == "repeated_failure"


async def test_two_orders_in_one_message_are_asked_about_with_a_button_each() -> None:
    """ "where are 10001 and 10003?": Rasa fills the slot with both; asked which, not told
    that neither is an order number. The same number twice is one order (and goes on)."""
    dispatcher = CollectingDispatcher()
    asked = message("where are 10001 and #10003?", "check_delivery", 1)
    asked["parse_data"]["entities"] = [
        {"entity": "order_number", "value": "10001"},
        {"entity": "order_number", "value": "#10003"},
    ]
    slots = await ValidateDeliveryForm().validate_order_number(
        "#10003", dispatcher, tracker_after([asked]), {}
    )
    assert slots == {"order_number": None}
    [sent] = dispatcher.messages
    assert sent["response"] == "utter_which_order" and sent["orders"] == "10001 or 10003"
    assert titles(sent) == ["Order 10001", "Order 10003"]
    assert parse_payload(sent["buttons"][1]["payload"]) == ("inform", {"order_number": "10003"})
    assert named_orders(["10001", "10001."]) == ["10001"]
