"""What the action server remembers in Redis beyond one tracker.

Two records, both shared with the agent desk and every action-server replica:
- the per-turn series (`contract.turns`, written here through `append_turn`), read by the
  agent desk for the sentiment chart and by the handoff summary;
- the contact history (`contract.keys.contacts`): per customer identity (sender id, email,
  order number) a sorted set of "topic|conversation" members scored by time, so a customer
  who comes back about the same problem, from any channel or under another sender id, is recognised.

The action server runs on one asyncio loop, so Redis is used through redis.asyncio (no
blocking calls); a client is kept per loop because its connections belong to the loop.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

import redis.asyncio as aioredis

from actions.settings import load_settings
from contract import keys, turns
from settings.redis_target import connect_async

_clients: WeakKeyDictionary[asyncio.AbstractEventLoop, aioredis.Redis] = WeakKeyDictionary()


def redis_client() -> aioredis.Redis:
    """The Redis client of the running event loop, created on first use (never at import)."""
    loop = asyncio.get_running_loop()
    client = _clients.get(loop)
    if client is None:
        client = connect_async(load_settings().redis_url)
        _clients[loop] = client
    return client


async def append_turn(conversation_id: str, record: dict[str, Any]) -> None:
    """Adds one analysed turn to the conversation's series (`contract.turns`)."""
    await turns.append_turn(redis_client(), conversation_id, record)


@dataclass(frozen=True)
class Contact:
    """One conversation about one topic (and the order it is about, if any), filed under every
    identity the customer gave."""

    conversation: str
    topic: str
    identities: tuple[tuple[str, str], ...]
    order: str | None = None


def _same_request(member: bytes, contact: Contact) -> str | None:
    """The member's conversation if it is about the same request as `contact`, else None.

    Same topic, and the same order when both name one: a refund of 10010 is not a return to
    a conversation about a refund of 10001.
    """
    topic, _, rest = member.decode().partition("|")
    order, _, conversation = rest.partition("|")
    if topic != contact.topic:
        return None
    if order and contact.order and order != contact.order:
        return None
    return conversation


async def record_contact(
    contact: Contact, window_s: float, now: float | None = None, since: float = 0.0
) -> int:
    """Files `contact` and returns how many distinct conversations about the same request any
    of its identities had within the window, this one included.

    Only conversations filed again at `since` or later count (besides this one): a person who
    closed the conversation dealt with what came before (`actions.turn_analysis`).
    Members are "topic|order|conversation", so filing the same conversation again only
    refreshes its time; entries older than the window are dropped as they are met.
    """
    now = time.time() if now is None else now
    member = f"{contact.topic}|{contact.order or ''}|{contact.conversation}"
    contact_keys = [keys.contacts(kind, value) for kind, value in contact.identities]
    async with redis_client().pipeline(transaction=False) as pipe:
        for key in contact_keys:
            pipe.zadd(key, {member: now})
            pipe.zremrangebyscore(key, "-inf", now - window_s)
            pipe.expire(key, int(window_s) + 1)
            pipe.zrange(key, since, "+inf", byscore=True)
        results = await pipe.execute()
    members: Iterable[bytes] = (m for listing in results[3::4] for m in listing)
    conversations = {_same_request(m, contact) for m in members}
    conversations.discard(None)
    return len(conversations)
