"""Findings 7 and 9 through the running system: a phone number is never read as an order
number, and it is not stored (tracker, per-turn series) in the clear."""

from __future__ import annotations

import json

import redis

from contract import keys
from launcher.stack import Stack
from tests.e2e.customer import Customer

PHONE = "+44 7700 900123"


def test_a_phone_number_is_not_an_order_number_and_is_not_stored(
    stack: Stack, customer: Customer
) -> None:
    answer = customer.ask(f"where is order 10001? my phone is {PHONE}")
    assert "10001" in answer and "900123" not in answer
    texts = [e.get("text") or "" for e in customer.tracker()["events"] if e["event"] == "user"]
    assert texts[-1] == "where is order 10001? my phone is [phone number hidden]"
    client = redis.Redis.from_url(stack.settings.redis.url)
    try:
        series = [json.loads(raw) for raw in client.lrange(keys.turns(customer.sender_id), 0, -1)]
    finally:
        client.close()
    assert series and all("900123" not in turn["text"] for turn in series)


def test_a_bare_number_after_the_word_phone_is_not_an_order(customer: Customer) -> None:
    answer = customer.ask("where is order 10003? phone 9001234")
    assert "10003" in answer and "9001234" not in answer
