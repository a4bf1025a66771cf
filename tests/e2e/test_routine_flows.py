"""Routine requests end to end over REST: Rasa server, action server, demo shop and Redis."""

from __future__ import annotations

import re

from launcher.stack import Stack
from tests.e2e.customer import Customer, assert_handed_over


def test_delayed_order_by_number_in_a_sentence(customer: Customer) -> None:
    answer = customer.ask("hi, where is my order #10003?")
    assert "10003" in answer and "delayed" in answer
    assert "new estimate" in answer and "ups" in answer


def test_delivery_asks_for_the_number_and_gives_a_second_chance(customer: Customer) -> None:
    assert "order number" in customer.ask("where's my parcel")
    answer = customer.ask("it's 99999")
    assert "can't find order 99999" in answer and "order number" in answer
    answer = customer.ask("sorry, 10001")
    assert "on its way" in answer and "expected" in answer


def test_full_refund_then_its_status_by_reference(customer: Customer) -> None:
    assert "order number" in customer.ask("I want my money back")
    assert "email" in customer.ask("10002")
    assert "what went wrong" in customer.ask("alice@example.com")
    assert "please check" in customer.ask("the zip on the jacket broke after one day")
    answer = customer.ask("yes")
    assert "done: refund rf-" in answer
    reference = re.search(r"rf-[a-z0-9]{6}", answer).group(0).upper()
    assert customer.slot("refund_reference") == reference
    status = customer.ask(f"what's the status of refund {reference}?")
    assert reference.lower() in status and "reach you by" in status


def test_ineligible_refund_gives_reason_and_alternatives(customer: Customer) -> None:
    assert "email" in customer.ask("i'd like a refund for order 10007")
    answer = customer.ask("dave@example.com")
    assert "outside the return window" in answer and "agent" in answer
    assert customer.slot("active_loop") is None or customer.tracker()["active_loop"] == {}


def test_cancel_an_order_that_has_not_shipped(customer: Customer) -> None:
    assert "email" in customer.ask("please cancel order 10005")
    assert "cancel order 10005" in customer.ask("carol@example.com")
    assert "is cancelled" in customer.ask("yes")


def test_person_requested_mid_form_pauses_the_conversation(customer: Customer) -> None:
    customer.ask("I want a refund")
    assert "email" in customer.ask("order 10010")
    assert "what went wrong" in customer.ask("erin@example.com")
    answer = customer.ask("actually can I talk to a real person please")
    assert_handed_over(customer, answer, "customer_request")
    assert not customer.tracker()["active_loop"]
    # While paused the assistant stays silent; the message is kept for the agent.
    assert customer.say("hello? are you there?") == []
    texts = [e.get("text") for e in customer.tracker()["events"] if e["event"] == "user"]
    assert texts[-1] == "hello? are you there?"


def test_conversation_survives_a_rasa_server_restart(stack: Stack, customer: Customer) -> None:
    assert "order number" in customer.ask("I need to cancel an order")
    stack.restart("rasa")
    assert "email" in customer.ask("10011")
    assert "cancel order 10011" in customer.ask("frank@example.com")
    assert "is cancelled" in customer.ask("yes please")


def test_shop_down_is_told_and_a_person_offered(stack: Stack, customer: Customer) -> None:
    stack.children["shop"].stop()
    try:
        answer = customer.ask("where is order 10001")
    finally:
        stack.restart("shop")
    assert "can't reach our order system" in answer and "person" in answer
