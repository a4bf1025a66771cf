"""The lock store as several Rasa servers use it: each its own connection, all at once, one
Redis round trip per change of a lock."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from rasa.core.lock_store import LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.connection import AbstractConnection

from addons.stores.lock_store import AtomicRedisLockStore
from harness.redis_server import RedisServer

SERVERS = 4
TICKETS_EACH = 25


def servers(redis_server: RedisServer) -> list[AtomicRedisLockStore]:
    """Each made from endpoints.yml's section the way a Rasa server makes its lock store."""
    section = EndpointConfig(
        url="127.0.0.1",
        type="addons.stores.lock_store.AtomicRedisLockStore",
        port=redis_server.port,
        db=0,
        key_prefix="lock",
    )
    stores = [LockStore.create(section) for _ in range(SERVERS)]
    assert all(isinstance(store, AtomicRedisLockStore) for store in stores)
    return stores  # type: ignore[return-value]


def test_servers_issuing_tickets_at_once_never_share_a_number(redis_server: RedisServer) -> None:
    issued: list[int] = []
    start = threading.Barrier(SERVERS)

    def issue(store: AtomicRedisLockStore) -> None:
        start.wait()
        for _ in range(TICKETS_EACH):
            issued.append(store.issue_ticket("conversation-1", lock_lifetime=60))

    threads = [threading.Thread(target=issue, args=(s,)) for s in servers(redis_server)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(issued) == list(range(SERVERS * TICKETS_EACH))
    lock = servers(redis_server)[0].get_lock("conversation-1")
    assert lock is not None and len(lock.tickets) == SERVERS * TICKETS_EACH


def test_finishing_one_message_keeps_the_ticket_of_the_next(redis_server: RedisServer) -> None:
    first, second = servers(redis_server)[:2]
    mine = first.issue_ticket("conversation-2")
    waiting = second.issue_ticket("conversation-2")

    first.cleanup("conversation-2", mine)

    lock = second.get_lock("conversation-2")
    assert lock is not None and not lock.is_locked(waiting)
    second.cleanup("conversation-2", waiting)
    assert second.get_lock("conversation-2") is None


async def test_the_lock_is_taken_and_given_back(redis_server: RedisServer) -> None:
    store = servers(redis_server)[0]
    async with store.lock("conversation-3") as lock:
        assert lock.conversation_id == "conversation-3"
        assert store.get_lock("conversation-3") is not None
    assert store.get_lock("conversation-3") is None


@pytest.fixture
def round_trips(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every request a client in this process writes to Redis, by its first command: one write
    per round trip (a pipeline's or a transaction's commands go out in one)."""
    sent: list[str] = []
    send = AbstractConnection.send_packed_command

    def counted(connection: AbstractConnection, command: Any, check_health: bool = True) -> None:
        head = command[0] if isinstance(command, list) else command
        sent.append(bytes(head).split(b"\r\n")[2].decode())
        send(connection, command, check_health)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", counted)
    return sent


async def test_a_message_takes_and_gives_back_its_lock_in_two_round_trips(
    redis_server: RedisServer, round_trips: list[str]
) -> None:
    """Taking a free lock says at once that it is ours; giving it back is one more script.
    Rasa's GET-change-SET, made atomic with WATCH and MULTI/EXEC, took seven."""
    store = servers(redis_server)[0]
    async with store.lock("warm-up"):  # connects and makes Redis cache the scripts
        pass
    round_trips.clear()
    async with store.lock("conversation-4"):
        pass
    assert round_trips == ["EVALSHA", "EVALSHA"]
    assert store.get_lock("conversation-4") is None


async def test_a_redis_that_lost_its_scripts_is_given_them_again(
    redis_server: RedisServer, round_trips: list[str]
) -> None:
    """A restarted Redis or a promoted replica knows no scripts: NOSCRIPT, then EVAL."""
    store = servers(redis_server)[0]
    store.issue_ticket("conversation-5")
    store.red.script_flush()
    round_trips.clear()
    assert store.issue_ticket("conversation-5") == 1
    assert round_trips == ["EVALSHA", "EVAL"]


def test_locks_written_by_rasas_own_store_and_by_ours_read_each_other(
    redis_server: RedisServer,
) -> None:
    """The stored lock stays Rasa's TicketLock JSON (servers of both kinds during an upgrade)."""
    ours = servers(redis_server)[0]
    rasas = RedisLockStore(port=redis_server.port, db=0, key_prefix="lock")
    assert rasas.issue_ticket("conversation-6") == 0
    assert ours.issue_ticket("conversation-6") == 1
    assert rasas.issue_ticket("conversation-6") == 2
    lock = rasas.get_lock("conversation-6")
    assert lock is not None and [t.number for t in lock.tickets] == [0, 1, 2]
    ours.cleanup("conversation-6", 0)
    lock = rasas.get_lock("conversation-6")
    assert lock is not None and lock.now_serving == 1 and lock.last_issued == 2


async def test_a_ticket_left_by_a_crashed_server_expires(redis_server: RedisServer) -> None:
    crashed, alive = servers(redis_server)[:2]
    crashed.issue_ticket("conversation-7", lock_lifetime=0.3)  # never given back
    async with alive.lock("conversation-7", lock_lifetime=60) as lock:
        assert [t.number for t in lock.tickets] == [1]
    assert alive.get_lock("conversation-7") is None


async def test_one_conversations_turns_never_interleave_across_servers(
    redis_server: RedisServer,
) -> None:
    """Four servers, five turns each, for each of two conversations at once: a conversation's
    turns run one at a time (each turn yields to the loop while it holds the lock); the two
    conversations do not wait for each other."""
    log: list[tuple[str, int, str]] = []

    async def turn(store: AtomicRedisLockStore, conversation: str, number: int) -> None:
        async with store.lock(conversation):
            log.append((conversation, number, "in"))
            await asyncio.sleep(0.01)
            log.append((conversation, number, "out"))

    await asyncio.gather(
        *(
            turn(store, conversation, index * TICKETS_EACH + number)
            for conversation in ("conversation-a", "conversation-b")
            for index, store in enumerate(servers(redis_server))
            for number in range(5)
        )
    )
    for conversation in ("conversation-a", "conversation-b"):
        mine = [(number, step) for talk, number, step in log if talk == conversation]
        assert len(mine) == 2 * SERVERS * 5
        for entered, left in zip(mine[::2], mine[1::2], strict=True):
            assert entered[1] == "in" and left == (entered[0], "out"), mine
    inside = 0
    overlapped = False
    for _, _, step in log:
        inside += 1 if step == "in" else -1
        overlapped = overlapped or inside == 2
    assert overlapped, "one conversation's turn waited for the other conversation's"
