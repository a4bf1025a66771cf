"""The handoff triggers end to end over REST, with the real analyser and real Redis.

A handoff is only done when the customer has been told, the assistant has gone quiet and a
ticket is on the desk; the slot alone is set even with the handoff policy switched off. So each
trigger is checked on all of them (`assert_handed_over`).

The fourth trigger, a person asked for mid-form, is in test_routine_flows.py.
"""

from __future__ import annotations

import json

import redis

from contract import keys
from launcher.stack import Stack
from tests.e2e.customer import Customer, assert_handed_over


def handed_over(customer: Customer) -> bool:
    """The handoff slot, as the agent desk and Rasa see it."""
    return customer.slot("live_agent_handoff") is True


def turn_series(stack: Stack, customer: Customer) -> list[dict]:
    """The per-turn analysis the action server recorded in Redis for this conversation."""
    client = redis.Redis.from_url(stack.settings.redis.url)
    try:
        return [json.loads(x) for x in client.lrange(keys.turns(customer.sender_id), 0, -1)]
    finally:
        client.close()


def test_calm_refund_never_hands_over(stack: Stack, customer: Customer) -> None:
    for text in [
        "hello",
        "I'd like to return order 10012 and get my money back",
        "it doesn't fit, sadly",
        "great, thank you!",
    ]:
        customer.ask(text)
        assert not handed_over(customer), text
    assert customer.slot("frustration_level") == "calm"
    series = turn_series(stack, customer)
    assert len(series) == 4 and all(turn["level"] == "calm" for turn in series)
    assert customer.ticket() is None


def test_worsening_conversation_hands_over_for_frustration(
    stack: Stack, customer: Customer
) -> None:
    turns = [
        "where is my order 10009?",
        "it was supposed to be here last week. this is not ok",
        # No claim of earlier contact here: that would hand over as repeated_contact.
        "why does nobody answer!! this is a joke",
        # Not "useless": a complaint about the answer counts as a failure (config/handoff.yml).
        "UNBELIEVABLE. I am furious.",
    ]
    asked = 0
    answer = ""
    for text in turns:
        answer = customer.ask(text)
        asked += 1
        if handed_over(customer):
            break
    assert handed_over(customer), "four worsening turns did not hand over"
    assert asked >= 2, "the first, neutral question must not hand over"
    assert_handed_over(customer, answer, "frustration")
    series = turn_series(stack, customer)
    assert series[-1]["smoothed"] > series[0]["smoothed"]
    assert series[-1]["reasons"], "the reasons behind the score are recorded"


def test_one_blunt_no_does_not_hand_over(customer: Customer) -> None:
    assert "email" in customer.ask("cancel order 10005 please")
    assert "cancel order 10005" in customer.ask("carol@example.com")
    customer.ask("no")
    assert not handed_over(customer)
    assert customer.ticket() is None


def proves_order_10004(customer: Customer) -> str:
    """Bob proves he owns 10004 (the shop checks his email), then asks where it is."""
    assert "email" in customer.ask("what's the status of my refund for order 10004?")
    customer.ask("bob@example.com")
    return customer.ask("where is order 10004?")


def test_third_contact_about_the_same_order_hands_over(stack: Stack) -> None:
    # Strangers naming the order (and typing its owner's email) count in their own conversation.
    for label in ("stranger-1", "stranger-2", "stranger-3"):
        stranger = Customer.new(stack.settings, label)
        stranger.ask("where is order 10004? bob@example.com")
        assert not handed_over(stranger)
    first = Customer.new(stack.settings, "contact-1")
    second = Customer.new(stack.settings, "contact-2")
    third = Customer.new(stack.settings, "contact-3")
    assert "lost" in proves_order_10004(first)
    assert not handed_over(first)
    proves_order_10004(second)
    assert not handed_over(second)
    answer = proves_order_10004(third)
    assert_handed_over(third, answer, "repeated_contact")
    assert first.ticket() is None and second.ticket() is None


def test_two_misunderstandings_in_a_row_hand_over(customer: Customer) -> None:
    first = customer.ask("blorf wuzzle gnark")
    # Not understood, out of scope, or unclear with choices offered: none hands over alone.
    assert any(words in first for words in ("didn't get that", "can't help", "not sure")), first
    assert not handed_over(customer)
    assert customer.ticket() is None
    answer = customer.ask("zzkq plimf vorb")
    assert_handed_over(customer, answer, "repeated_failure")
