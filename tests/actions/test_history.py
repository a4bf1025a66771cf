"""What the action server remembers in Redis (actions/history.py), against a real Redis.

Repeated contact hands a customer to a person, so both of its edges matter: a customer who
comes back under another sender id or channel is recognised, and one who came back more than
14 days later is not. `record_contact`'s `now` moves time instead of waiting.
"""

from __future__ import annotations

import redis

from actions.history import Contact, append_turn, record_contact
from contract import keys
from contract.turns import MAX_TURNS_KEPT, read_turns
from mood.settings import load_frustration_settings

T0 = 1_800_000_000.0
DAY_S = 86_400.0
WINDOW_S = 14 * DAY_S


def contact(conversation: str, topic: str = "delivery", **given: str) -> Contact:
    """A conversation of sender `conversation` with the identities in `given` (email, order)."""
    found = [("sender", conversation)] + sorted(given.items())
    return Contact(f"{conversation}@0", topic, tuple(found), given.get("order"))


def sync_client(url: str) -> redis.Redis:
    """A plain client to look at what the action server wrote."""
    return redis.Redis.from_url(url, decode_responses=True)


def test_the_shipped_window_is_the_fourteen_days_these_tests_use() -> None:
    """The tests below prove the window with 14 days; config/handoff.yml is where it is set."""
    assert load_frustration_settings().repeat_contact.window_days * DAY_S == WINDOW_S


async def test_filing_the_same_conversation_again_counts_it_once(action_redis: str) -> None:
    first = contact("web-1", email="bob@example.com")
    assert await record_contact(first, WINDOW_S, now=T0) == 1
    assert await record_contact(first, WINDOW_S, now=T0 + 60) == 1


async def test_conversations_are_linked_through_any_identity_they_share(action_redis: str) -> None:
    """Email links the first and third, the order number the second and third."""
    assert await record_contact(contact("web-1", email="bob@example.com"), WINDOW_S, T0) == 1
    assert await record_contact(contact("slack-1", order="10004"), WINDOW_S, T0 + 1) == 1
    third = contact("telegram-1", email="bob@example.com", order="10004")
    assert await record_contact(third, WINDOW_S, T0 + 2) == 3


async def test_another_topic_does_not_count(action_redis: str) -> None:
    assert await record_contact(contact("web-1", "delivery", order="10004"), WINDOW_S, T0) == 1
    assert await record_contact(contact("web-2", "refund", order="10004"), WINDOW_S, T0 + 1) == 1
    assert await record_contact(contact("web-3", "delivery", order="10004"), WINDOW_S, T0 + 2) == 2


async def test_a_contact_inside_the_window_still_counts(action_redis: str) -> None:
    await record_contact(contact("web-1", order="10004"), WINDOW_S, now=T0)
    later = T0 + WINDOW_S - 60
    assert await record_contact(contact("web-2", order="10004"), WINDOW_S, now=later) == 2


async def test_a_contact_older_than_the_window_no_longer_counts(action_redis: str) -> None:
    await record_contact(contact("web-1", order="10004"), WINDOW_S, now=T0)
    await record_contact(contact("web-2", order="10004"), WINDOW_S, now=T0 + 10 * DAY_S)
    # 15 days after the first: only the second (5 days ago) and this one count.
    now = T0 + 15 * DAY_S
    assert await record_contact(contact("web-3", order="10004"), WINDOW_S, now=now) == 2
    # And the expired entry is gone from Redis, not just skipped.
    client = sync_client(action_redis)
    try:
        members = client.zrange(keys.contacts("order", "10004"), 0, -1)
    finally:
        client.close()
    # Members are "topic|order|conversation": the order tells apart requests about two orders.
    assert members == ["delivery|10004|web-2@0", "delivery|10004|web-3@0"]


async def test_contact_history_expires_from_redis_with_the_window(action_redis: str) -> None:
    """A customer who never comes back leaves nothing behind for longer than the window."""
    await record_contact(contact("web-1", email="bob@example.com"), WINDOW_S, now=T0)
    client = sync_client(action_redis)
    try:
        for key in (keys.contacts("sender", "web-1"), keys.contacts("email", "bob@example.com")):
            assert 0 < client.ttl(key) <= WINDOW_S + 1, key
    finally:
        client.close()


async def test_turns_are_appended_in_order_for_the_desk(action_redis: str) -> None:
    records = [
        {"text": "where is 10003", "level": "calm"},
        {"text": "LATE again", "level": "annoyed"},
    ]
    for record in records:
        await append_turn("web-1", record)
    await append_turn("web-2", {"text": "someone else", "level": "calm"})
    client = sync_client(action_redis)
    try:
        assert read_turns(client, "web-1") == records
    finally:
        client.close()


async def test_a_long_conversation_keeps_only_its_latest_turns(action_redis: str) -> None:
    for index in range(MAX_TURNS_KEPT + 3):
        await append_turn("long-1", {"index": index})
    client = sync_client(action_redis)
    try:
        kept = read_turns(client, "long-1")
    finally:
        client.close()
    assert len(kept) == MAX_TURNS_KEPT
    assert kept[0] == {"index": 3} and kept[-1] == {"index": MAX_TURNS_KEPT + 2}
