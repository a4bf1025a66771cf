"""Answers to "shall I go ahead?" (actions/confirmation.py): a yes worded as the same request
again ("ㅇㅇ 취소해줘") goes ahead like a plain yes; the same words with a "not", as a question,
about another order, or for another request do not."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.cancellation import ValidateCancelForm
from tests.actions.conftest import make_tracker

ASKED = {"order_number": "10005", "owner_email": "carol@example.com"}


async def answer(
    text: str, intent: str, domain: dict[str, Any], entities: list[dict[str, Any]] | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """What the cancel form's check makes of `text` (read by the NLU as `intent`) as the
    answer to the confirmation; the slot holds the text, as the form's from_text mapping does."""
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots=ASKED, text=text, intent=intent, entities=entities)
    slots = await ValidateCancelForm().validate_cancel_confirmed(text, dispatcher, tracker, domain)
    return slots, dispatcher.messages


@pytest.mark.parametrize(
    "text",
    ["ㅇㅇ 취소해줘", "네 취소해 주세요", "넵! 취소요", "yes, cancel it", "OK cancel my order"],
)
async def test_a_yes_that_repeats_the_request_is_a_yes(text: str, domain: dict[str, Any]) -> None:
    slots, messages = await answer(text, "cancel_order", domain)
    assert slots == {"cancel_confirmed": True}
    assert messages == []


async def test_the_same_order_named_again_is_still_a_yes(domain: dict[str, Any]) -> None:
    same = [{"entity": "order_number", "value": "10005"}]
    slots, _ = await answer("네 10005 취소해 주세요", "cancel_order", domain, same)
    assert slots == {"cancel_confirmed": True}


@pytest.mark.parametrize(
    ("text", "intent", "entities"),
    [
        ("네 취소하지 마세요", "cancel_order", None),  # a "not" word
        ("ㅇㅇ 취소 안 해", "cancel_order", None),
        ("네? 취소요?", "cancel_order", None),  # the yes word is a question
        ("취소해 주세요", "cancel_order", None),  # no yes word: asked again, not assumed
        ("네 환불해 주세요", "request_refund", None),  # another request
        ("네 10011 취소해 주세요", "cancel_order", [{"entity": "order_number", "value": "10011"}]),
    ],
)
async def test_other_answers_are_not_taken_for_a_yes(
    text: str, intent: str, entities: list[dict[str, Any]] | None, domain: dict[str, Any]
) -> None:
    slots, _ = await answer(text, intent, domain, entities)
    assert slots == {"cancel_confirmed": None}


@pytest.mark.parametrize(
    ("ranking", "confirmed"),
    [
        ([("nlu_fallback", 0.6), ("affirm", 0.53), ("cancel_order", 0.47)], True),
        ([("nlu_fallback", 0.6), ("affirm", 0.53), ("request_refund", 0.4)], None),
        ([("nlu_fallback", 0.6), ("affirm", 0.5), ("greet", 0.3), ("cancel_order", 0.2)], None),
    ],
)
async def test_an_unsure_reading_counts_when_the_request_is_among_the_two_likeliest(
    ranking: list[tuple[str, float]], confirmed: bool | None, domain: dict[str, Any]
) -> None:
    """Half a yes and half a request: the NLU may fall back between affirm and the request."""
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots=ASKED, text="ㅇㅇ 취소해줘", intent="nlu_fallback")
    tracker.latest_message["intent_ranking"] = [
        {"name": name, "confidence": confidence} for name, confidence in ranking
    ]
    form = ValidateCancelForm()
    slots = await form.validate_cancel_confirmed("ㅇㅇ 취소해줘", dispatcher, tracker, domain)
    assert slots == {"cancel_confirmed": confirmed}
