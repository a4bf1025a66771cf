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


def test_an_email_is_sealed_at_rest_and_the_agent_still_sees_it(
    stack: Stack, customer: Customer
) -> None:
    """Finding 9: the email typed to prove an order is neither in Redis's keys and values nor
    in its append-only file; the assistant, and the agent after a handoff, still read it."""
    assert "email" in customer.ask("please cancel order 10005")
    assert "cancel order 10005" in customer.ask("carol@example.com")
    customer.ask("no")
    customer.ask("I want to talk to a person")
    ticket = customer.ticket()
    assert ticket is not None, "the request for a person opened a ticket"
    shown = [entry["text"] for entry in ticket.transcript]
    assert "carol@example.com" in shown  # what the desk shows the agent
    assert "carol@example.com" in repr(customer.tracker())  # Rasa's API, which the desk reads
    client = redis.Redis.from_url(stack.settings.redis.url)
    try:
        stored = [key + b" " + b" ".join(values(client, key)) for key in client.scan_iter("*")]
    finally:
        client.close()
    assert not [entry[:80] for entry in stored if b"carol@example.com" in entry]
    aof = b"".join(p.read_bytes() for p in (stack.settings.var_dir / "redis").rglob("*.aof*"))
    assert aof and b"carol@example.com" not in aof


def values(client: redis.Redis, key: bytes) -> list[bytes]:
    """Everything a key holds, whatever its type."""
    kind = client.type(key)
    if kind == b"string":
        return [client.get(key) or b""]
    if kind == b"list":
        return list(client.lrange(key, 0, -1))
    if kind == b"hash":
        return [k + b"=" + v for k, v in client.hgetall(key).items()]
    if kind == b"set":
        return list(client.smembers(key))
    if kind == b"zset":
        return list(client.zrange(key, 0, -1))
    return []
