"""Malformed REST bodies get a short 400; card numbers are masked before anything stores them."""

from __future__ import annotations

import pytest
import redis
import requests

from contract import keys
from launcher.stack import Stack
from tests.e2e.customer import Customer

BAD_BODIES = {
    "empty": b"",
    "null": b"null",
    "list": b"[]",
    "nested": b'{"sender": "x", "message": "hi", "metadata": ' + b"[" * 500 + b"]" * 500 + b"}",
    "not json": b"{sender",
    "number message": b'{"sender": "x", "message": 5}',
    "no sender": b'{"message": "hi"}',
    "control sender": b'{"sender": "a\\u0000b", "message": "hi"}',
    "oversized": b'{"sender": "x", "message": "' + b"a" * 300_000 + b'"}',
}


@pytest.mark.parametrize("body", BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_a_malformed_body_gets_a_short_400(stack: Stack, body: bytes) -> None:
    answer = requests.post(
        f"{stack.settings.rasa_url}/webhooks/rest/webhook", data=body, timeout=30
    )
    assert answer.status_code in (400, 413)
    assert len(answer.content) < 300


def test_a_card_number_is_masked_before_it_is_stored(stack: Stack, customer: Customer) -> None:
    customer.ask("I want to talk to a person, my card 4111 1111 1111 1111 was charged twice")
    stored = [e["text"] for e in customer.tracker()["events"] if e["event"] == "user"]
    assert any("**** **** **** 1111" in text for text in stored)
    client = redis.Redis.from_url(stack.settings.redis.url)
    try:
        reference = client.get(keys.conversation_ticket(customer.sender_id))
        ticket = client.hgetall(keys.ticket(reference.decode())) if reference else {}
    finally:
        client.close()
    assert ticket, "the request for a person opened a ticket"
    everything = repr(customer.tracker()) + repr(ticket)
    assert "4111 1111 1111 1111" not in everything
    aof = b"".join(p.read_bytes() for p in (stack.settings.var_dir / "redis").rglob("*.aof*"))
    assert b"4111 1111 1111 1111" not in aof
