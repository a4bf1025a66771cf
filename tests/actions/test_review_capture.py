"""The learning loop's capture (actions/review_capture.py) on trackers built by hand.

The two-stage fallback with buttons is being built on another branch; these trackers are the
events Rasa 3.6 writes for it (rasa/core/actions/two_stage_fallback.py: the loop action, the
"Did you mean" question with one button per intent, the customer's click as a `/intent`
message), and for a disambiguation action of another name that offers buttons after a
fallback. The action itself then runs against a real Redis: what the store keeps, and what
the day counters count.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.metrics import get_recorder
from actions.review_capture import Found, get_review_store, misread_messages, prediction
from actions.turn_analysis import ActionAnalyzeTurn
from analytics.counts import Period, read_counts
from analytics.recorder import ANSWERED, MISUNDERSTOOD, Recorder
from analytics.review_store import (
    CORRECTED,
    DISAMBIGUATED,
    FALLBACK,
    HANDOFF,
    ReviewStore,
)
from tickets.settings import load_ticket_config
from tickets.store import connect

T = 1_800_000_000.0


def user(
    text: str, intent: str, ranking: list[tuple[str, float]] | None = None, ts: float = 0.0
) -> dict[str, Any]:
    """A user event as Rasa sends it, with the classifier's ranking."""
    ranked = ranking or [(intent, 1.0 if text.startswith("/") else 0.9)]
    top = {"name": intent, "confidence": ranked[0][1] if ranked[0][0] == intent else 0.6}
    return {
        "event": "user",
        "text": text,
        "timestamp": ts,
        "parse_data": {
            "text": text,
            "intent": top,
            "intent_ranking": [{"name": n, "confidence": c} for n, c in ranked],
            "entities": [],
        },
        "input_channel": "socketio",
    }


def fallback(text: str, ts: float, guess: str = "refund_status") -> dict[str, Any]:
    """A message the FallbackClassifier caught: nlu_fallback first, then the real ranking."""
    return user(
        text, "nlu_fallback", [("nlu_fallback", 0.6), (guess, 0.52), ("shipping_info", 0.15)], ts
    )


def bot(text: str, *payloads: str) -> dict[str, Any]:
    buttons = [{"title": p.strip("/"), "payload": p} for p in payloads]
    return {"event": "bot", "text": text, "data": {"buttons": buttons or None}}


def action(name: str) -> dict[str, Any]:
    return {"event": "action", "name": name}


def loop(name: str | None) -> dict[str, Any]:
    return {"event": "active_loop", "name": name}


def two_stage(original: dict[str, Any], click: str) -> list[dict[str, Any]]:
    """Rasa's two-stage fallback up to the customer's click (Rasa's own button wording)."""
    return [
        original,
        action("action_two_stage_fallback"),
        loop("action_two_stage_fallback"),
        bot("Did you mean 'refund_status'?", "/refund_status", "/out_of_scope"),
        action("action_listen"),
        user(click, click.strip("/"), ts=original["timestamp"] + 5),
    ]


def test_a_fallback_is_kept_with_the_intent_the_classifier_leaned_to() -> None:
    message = fallback("when do i get my dosh back", T)
    assert misread_messages([message], in_form=False, handed_over=False) == [
        Found(message, FALLBACK)
    ]
    assert prediction(message) == ("refund_status", 0.52)


def test_a_fallback_inside_a_form_or_answering_one_is_not_a_misreading() -> None:
    message = fallback("the lid is cracked and it whistles", T)
    assert misread_messages([message], in_form=True, handed_over=False) == []
    asked = [
        loop("refund_form"),
        {"event": "slot", "name": "requested_slot", "value": "refund_reason"},
        message,
    ]
    assert misread_messages(asked, in_form=False, handed_over=False) == []


def test_a_pick_after_rasas_did_you_mean_keeps_the_original_with_the_pick() -> None:
    original = fallback("when do i get my dosh back", T)
    events = two_stage(original, "/refund_status")
    found = misread_messages(events, in_form=False, handed_over=False)
    assert found == [Found(original, DISAMBIGUATED, "refund_status")]


def test_none_of_these_is_a_pick_of_out_of_scope() -> None:
    original = fallback("can my dog eat the packaging", T)
    found = misread_messages(two_stage(original, "/out_of_scope"), False, False)
    assert found == [Found(original, DISAMBIGUATED, "out_of_scope")]


def test_buttons_after_a_fallback_from_any_action_are_a_disambiguation() -> None:
    """The other branch may name its action differently: a choice offered after a fallback
    is still the customer telling us what they meant."""
    original = fallback("my dosh pls", T, guess="request_refund")
    events = [
        original,
        action("action_ask_which_intent"),
        bot("Did you mean one of these?", "/request_refund", "/refund_status"),
        action("action_listen"),
        user("/refund_status", "refund_status", ts=T + 3),
    ]
    assert misread_messages(events, False, False) == [
        Found(original, DISAMBIGUATED, "refund_status")
    ]


def test_a_button_that_is_not_a_disambiguation_keeps_nothing() -> None:
    """The missing-parcel question's buttons answer a question; nothing was misread."""
    request = user("it says delivered but no box", "report_missing", ts=T)
    events = [
        request,
        action("action_report_missing"),
        bot("Shall I pass this to a person?", "/request_human", "/thank"),
        action("action_listen"),
        user("/thank", "thank", ts=T + 4),
    ]
    assert misread_messages(events, False, False) == []


def test_that_did_not_help_keeps_the_request_it_is_about() -> None:
    request = user("is my money on its way", "check_delivery", [("check_delivery", 0.81)], T)
    events = [
        request,
        action("delivery_form"),
        bot("Order 10003 is on its way."),
        action("action_listen"),
        user("that's not what i asked", "not_helpful", ts=T + 9),
    ]
    assert misread_messages(events, False, False) == [Found(request, CORRECTED)]


def test_no_after_a_question_answers_it_and_no_after_an_answer_corrects() -> None:
    request = user("stop order 10004", "cancel_order", ts=T)
    asked = [
        request,
        bot("Cancel order 10004? This can't be undone."),
        user("no", "deny", ts=T + 1),
    ]
    assert misread_messages(asked, False, False) == []
    told = [request, bot("Order 10004 is on its way."), user("no", "deny", ts=T + 1)]
    assert misread_messages(told, False, False) == [Found(request, CORRECTED)]


def test_a_handoff_after_an_answer_keeps_the_request_past_reactions_and_clicks() -> None:
    request = user("where is my dosh", "check_delivery", ts=T)
    events = [
        request,
        bot("Which order?"),
        user("that didn't help", "not_helpful", ts=T + 1),
        bot("Sorry that didn't help.", "/request_human"),
        user("/request_human", "request_human", ts=T + 2),
    ]
    assert misread_messages(events, False, handed_over=True) == [Found(request, HANDOFF)]
    assert misread_messages(events, False, handed_over=False) == []


def test_courtesies_payloads_and_earlier_sessions_are_never_kept() -> None:
    hello = user("hello there", "greet", ts=T)
    events = [hello, bot("Hi!"), user("a person please", "request_human", ts=T + 1)]
    assert misread_messages(events, False, handed_over=True) == []
    earlier = [fallback("gribble", T), {"event": "session_started"}]
    assert misread_messages([*earlier, user("hi", "greet", ts=T + 9)], False, False) == []
    blank = user("🙂", "nlu_fallback", ts=T)
    assert misread_messages([blank], False, False) == []


# --- the action, on a real Redis --------------------------------------------------------------


@pytest.fixture
async def review_redis(action_redis: str) -> AsyncIterator[str]:
    """The action server's review store and recorder on the test's Redis."""
    get_review_store.cache_clear()
    get_recorder.cache_clear()
    yield action_redis
    get_review_store.cache_clear()
    get_recorder.cache_clear()


def tracker_of(events: list[dict[str, Any]], sender: str, loop_name: str | None = None) -> Tracker:
    latest = next(e for e in reversed(events) if e["event"] == "user")
    return Tracker(
        sender_id=sender,
        slots={},
        latest_message={**latest["parse_data"], "text": latest["text"]},
        events=list(events),
        paused=False,
        followup_action=None,
        active_loop={"name": loop_name} if loop_name else {},
        latest_action_name="action_listen",
    )


async def analyse(tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
    return await ActionAnalyzeTurn().run(CollectingDispatcher(), tracker, domain)


async def test_the_turn_hook_keeps_a_fallback_then_the_customers_pick(
    review_redis: str, domain: dict[str, Any]
) -> None:
    original = fallback("when do i get my dosh back? jo@mail.example", T)
    await analyse(tracker_of([original], "web-dosh"), domain)
    clicked = two_stage(original, "/refund_status")
    await analyse(tracker_of(clicked, "web-dosh", "action_two_stage_fallback"), domain)

    store = ReviewStore(connect(review_redis))
    [item] = store.pending()
    assert item.text == "when do i get my dosh back? name@example.com"  # never the real email
    assert (item.predicted, item.confidence, item.picked) == (
        "refund_status",
        0.52,
        "refund_status",
    )
    assert item.reasons == (FALLBACK, DISAMBIGUATED)
    assert item.seen == 1  # one customer message, kept for two reasons

    config = load_ticket_config()
    recorder = Recorder(connect(review_redis), config.hours, config.idle_timeout_s)
    today = date.fromisoformat(recorder.day(time.time()))  # counted when it happens
    counts = read_counts(connect(review_redis), Period(today, today))
    assert counts.total(ANSWERED) == 2 and counts.total(MISUNDERSTOOD) == 1


async def test_while_a_person_has_the_conversation_nothing_is_kept_or_counted(
    review_redis: str, domain: dict[str, Any]
) -> None:
    tracker = tracker_of([fallback("blorf wuzzle", T)], "held-review")
    tracker.slots["live_agent_handoff"] = True
    await analyse(tracker, domain)
    assert ReviewStore(connect(review_redis)).pending() == []
