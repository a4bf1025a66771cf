"""The lock store as several Rasa servers use it: each its own connection, all at once."""

from __future__ import annotations

import threading

from rasa.core.lock_store import LockStore
from rasa.utils.endpoints import EndpointConfig

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
