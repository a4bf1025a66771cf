"""Sealing personal data at rest (contract/at_rest.py), and emails kept out of the turn series."""

from __future__ import annotations

import pytest
import redis
import redis.asyncio as aioredis

from contract import keys
from contract.at_rest import TOKEN_START, Sealer, SealError
from contract.turns import append_turn, read_turns
from harness.redis_server import RedisServer


def test_sealed_text_opens_only_with_its_key() -> None:
    sealed = Sealer("key one").seal('{"text": "ann@example.com"}')
    assert sealed.startswith(TOKEN_START) and "ann@example.com" not in sealed
    assert Sealer("key one").open(sealed) == '{"text": "ann@example.com"}'
    with pytest.raises(SealError):
        Sealer("key two").open(sealed)
    assert Sealer("key one").open('{"stored": "before sealing"}') == '{"stored": "before sealing"}'


def test_an_email_pseudonym_is_stable_keyed_and_hides_the_email() -> None:
    one = Sealer("key one")
    assert one.pseudonym("Ann@Example.com ") == one.pseudonym("ann@example.com")
    assert one.pseudonym("ann@example.com") != Sealer("key two").pseudonym("ann@example.com")
    assert "ann" not in keys.contacts("email", "ann@example.com")
    assert keys.contacts("order", "10001").endswith(":10001")


async def test_the_turn_series_keeps_no_email(redis_server: RedisServer) -> None:
    client = aioredis.Redis(port=redis_server.port)
    await append_turn(client, "c1", {"text": "my email is ann@example.com", "intent": "inform"})
    await client.close()
    [turn] = read_turns(redis.Redis(port=redis_server.port), "c1")
    assert turn["text"] == "my email is <email>" and turn["intent"] == "inform"
