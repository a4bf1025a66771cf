"""The append-only tracker store on a real Redis: what Rasa reads back, and what a save writes."""

from __future__ import annotations

import json

import pytest
import redis
from rasa.core.tracker_store import RedisTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from addons.channels.delivery import delivery
from addons.stores.tracker_store import AppendOnlyRedisTrackerStore
from contract import keys
from contract.at_rest import sealer
from harness.redis_server import RedisServer

DOMAIN = Domain.from_yaml(
    "version: '3.1'\nslots:\n  order_number:\n    type: text\n    mappings: [{type: custom}]\n"
)


@pytest.fixture
def store(redis_server: RedisServer) -> AppendOnlyRedisTrackerStore:
    return AppendOnlyRedisTrackerStore(DOMAIN, host="127.0.0.1", port=redis_server.port)


def turn(text: str, answer: str) -> list[Event]:
    return [
        UserUttered(text, {"name": "ask", "confidence": 1.0}),
        BotUttered(answer),
        ActionExecuted(ACTION_LISTEN_NAME),
    ]


def session_start() -> list[Event]:
    return [ActionExecuted(ACTION_SESSION_START_NAME), SessionStarted()]


def texts(tracker: DialogueStateTracker | None) -> list[str]:
    assert tracker is not None
    return [e.text for e in tracker.events if isinstance(e, UserUttered | BotUttered) and e.text]


def sealed(redis_server: RedisServer, sender: str) -> list[str]:
    """The conversation's entries as Redis holds them."""
    client = redis.Redis(port=redis_server.port, decode_responses=True)
    try:
        return client.lrange(keys.tracker_events(sender), 0, -1)
    finally:
        client.close()


def raw(redis_server: RedisServer, sender: str) -> list[str]:
    """The conversation's events as JSON, opened with the key."""
    return [sealer().open(entry) for entry in sealed(redis_server, sender)]


async def test_a_conversation_reads_back_as_it_was_saved(
    store: AppendOnlyRedisTrackerStore,
) -> None:
    tracker = DialogueStateTracker.from_events("c1", [*session_start(), *turn("hi", "hello")])
    tracker.update(SlotSet("order_number", "10001"))
    await store.save(tracker)

    again = await store.retrieve("c1")

    assert again is not None and again.events == tracker.events
    assert again.get_slot("order_number") == "10001"
    assert await store.retrieve("nobody") is None
    assert list(await store.keys()) == ["c1"]


async def test_each_save_appends_only_the_new_events(
    store: AppendOnlyRedisTrackerStore, redis_server: RedisServer
) -> None:
    await store.save(DialogueStateTracker.from_events("c2", [*session_start(), *turn("a", "1")]))
    before = raw(redis_server, "c2")

    for text in ("b", "c"):
        tracker = await store.retrieve("c2")
        assert tracker is not None
        tracker.update_with_events(turn(text, text.upper()), None)
        await store.save(tracker)

    after = raw(redis_server, "c2")
    assert after[: len(before)] == before and len(after) == len(before) + 6
    assert texts(await store.retrieve("c2")) == ["a", "1", "b", "B", "c", "C"]


async def test_only_the_latest_session_is_read_unless_all_are_asked_for(
    store: AppendOnlyRedisTrackerStore,
) -> None:
    await store.save(DialogueStateTracker.from_events("c3", [*session_start(), *turn("a", "1")]))
    tracker = await store.retrieve("c3")
    assert tracker is not None
    tracker.update_with_events([*session_start(), *turn("b", "2")], None)
    await store.save(tracker)

    latest = await store.retrieve("c3")
    assert texts(latest) == ["b", "2"]
    assert latest is not None
    latest.update_with_events(turn("c", "3"), None)
    await store.save(latest)
    assert texts(await store.retrieve("c3")) == ["b", "2", "c", "3"]
    assert texts(await store.retrieve_full_tracker("c3")) == ["a", "1", "b", "2", "c", "3"]


async def test_a_tracker_not_read_from_the_store_replaces_the_latest_session(
    store: AppendOnlyRedisTrackerStore,
) -> None:
    await store.save(DialogueStateTracker.from_events("c4", [*session_start(), *turn("a", "1")]))

    await store.save(DialogueStateTracker.from_events("c4", [*session_start(), *turn("x", "9")]))

    assert texts(await store.retrieve_full_tracker("c4")) == ["x", "9"]


async def test_a_conversation_stored_by_rasas_own_store_is_read_and_continued(
    store: AppendOnlyRedisTrackerStore, redis_server: RedisServer
) -> None:
    legacy = RedisTrackerStore(DOMAIN, host="127.0.0.1", port=redis_server.port)
    await legacy.save(DialogueStateTracker.from_events("c5", [*session_start(), *turn("a", "1")]))

    tracker = await store.retrieve("c5")
    assert texts(tracker) == ["a", "1"]
    assert tracker is not None
    tracker.update_with_events(turn("b", "2"), None)
    await store.save(tracker)

    assert texts(await store.retrieve("c5")) == ["a", "1", "b", "2"]
    assert json.loads(raw(redis_server, "c5")[0])["event"] == "action"


async def test_a_message_an_action_failed_for_is_not_stored_but_noted(
    store: AppendOnlyRedisTrackerStore, redis_server: RedisServer
) -> None:
    """Finding 5: the customer is told to send it again, so its resend must show once."""
    events = [*session_start(), *turn("hi", "hello")]
    await store.save(DialogueStateTracker.from_events("c9", events))
    failed = DialogueStateTracker.from_events("c9", [*events, *turn("a person please", "...")])
    with delivery() as outcome:
        outcome.actions_failed.append("rasa.core.processor")
        await store.save(failed)

    assert texts(await store.retrieve("c9")) == ["hi", "hello"]
    client = redis.Redis(port=redis_server.port, decode_responses=True)
    noted = json.loads(sealer().open(client.hget(keys.UNDELIVERED, "c9") or "{}"))
    assert (noted["intent"], noted["text"]) == ("ask", "a person please")

    resent = DialogueStateTracker.from_events("c9", [*events, *turn("a person please", "ok")])
    with delivery():
        await store.save(resent)
    assert texts(await store.retrieve("c9")) == ["hi", "hello", "a person please", "ok"]
    client.close()


async def test_events_are_sealed_at_rest_and_older_plain_events_still_read(
    store: AppendOnlyRedisTrackerStore, redis_server: RedisServer
) -> None:
    """Finding 9: an email typed to prove an order is not readable in Redis (nor its AOF)."""
    events = [*session_start(), *turn("it is ann@example.com", "thanks")]
    await store.save(DialogueStateTracker.from_events("c10", events))
    assert not any("ann@example.com" in entry for entry in sealed(redis_server, "c10"))
    assert "it is ann@example.com" in texts(await store.retrieve("c10"))

    client = redis.Redis(port=redis_server.port, decode_responses=True)
    plain = [json.dumps(event.as_dict()) for event in [*session_start(), *turn("old", "x")]]
    client.rpush(keys.tracker_events("c11"), *plain)
    client.close()
    assert texts(await store.retrieve("c11")) == ["old", "x"]


async def test_the_next_message_reads_the_kept_tracker_while_redis_holds_it_unchanged(
    store: AppendOnlyRedisTrackerStore,
) -> None:
    tracker = DialogueStateTracker.from_events("k1", [*session_start(), *turn("a", "1")])
    await store.save(tracker)

    kept = await store.retrieve("k1")

    assert kept is tracker
    # Lent to one reader at a time: a second reader meanwhile reads Redis.
    other = await store.retrieve("k1")
    assert other is not tracker and other is not None and other.events == tracker.events


async def test_a_kept_tracker_changed_without_a_save_is_not_read_again(
    store: AppendOnlyRedisTrackerStore,
) -> None:
    await store.save(DialogueStateTracker.from_events("k2", [*session_start(), *turn("a", "1")]))
    tracker = await store.retrieve("k2")
    assert tracker is not None
    await store.save(tracker)
    tracker.update_with_events(turn("lost", "never saved"), None)

    assert texts(await store.retrieve("k2")) == ["a", "1"]


async def test_another_servers_save_is_read_from_redis_not_from_the_kept_tracker(
    store: AppendOnlyRedisTrackerStore, redis_server: RedisServer
) -> None:
    """Two Rasa servers behind a balancer: a conversation moves from one to the other and back."""
    other = AppendOnlyRedisTrackerStore(DOMAIN, host="127.0.0.1", port=redis_server.port)
    await store.save(DialogueStateTracker.from_events("k3", [*session_start(), *turn("a", "1")]))

    moved = await other.retrieve("k3")
    assert moved is not None
    moved.update_with_events(turn("b", "2"), None)
    await other.save(moved)
    assert texts(await store.retrieve("k3")) == ["a", "1", "b", "2"]

    # The other server rewrites the latest session with as many events as before.
    back = await store.retrieve("k3")
    assert back is not None
    await store.save(back)
    rewritten = [*session_start(), *turn("x", "9"), *turn("y", "8")]
    await other.save(DialogueStateTracker.from_events("k3", rewritten))
    assert texts(await store.retrieve("k3")) == ["x", "9", "y", "8"]
