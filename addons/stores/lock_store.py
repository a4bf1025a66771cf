"""Rasa's Redis lock store with every change of a lock made atomic, so it holds across servers.

Rasa 3.6's RedisLockStore changes a conversation's lock by GET, change in Python, SET. Inside one
Rasa server that is safe (one event loop, blocking calls); with several servers, two of them
can read the same lock at once, hand out the same ticket number and process one conversation's
messages at the same time. tests/scale caught it: two simultaneous messages through two Rasa
servers, and one customer message went missing from the conversation. Here each change runs in
a Redis transaction that is retried when another server changed the lock in between (WATCH).
A waiting message also looks again every 0.1 s instead of every second.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from addons.stores.client import SENTINEL_SETTINGS, store_client

Result = TypeVar("Result")
WAIT_BETWEEN_ATTEMPTS_S = 0.1


class AtomicRedisLockStore(RedisLockStore):
    """`lock_store: {type: addons.stores.lock_store.AtomicRedisLockStore, ...}` with
    RedisLockStore's settings (url, port, db, password, key_prefix ...)."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **settings: Any) -> None:
        """Rasa hands a custom lock store its endpoints.yml section as `endpoint_config`."""
        if endpoint_config is not None:
            settings = {"host": endpoint_config.url, **endpoint_config.kwargs, **settings}
        sentinel = {name: settings.pop(name, None) for name in SENTINEL_SETTINGS}
        super().__init__(**settings)
        # In place of Rasa's client: the project's one factory's (addons/stores/client.py).
        self.red = store_client({**settings, **sentinel}, decode_responses=False)

    def _change(
        self,
        conversation_id: str,
        change: Callable[[TicketLock | None], tuple[TicketLock | None, Result]],
    ) -> Result:
        """Applies `change` to the stored lock atomically; None as new lock deletes it."""
        key = self.key_prefix + conversation_id

        def attempt(pipe: Any) -> Result:
            raw = pipe.get(key)
            lock = TicketLock.from_dict(json.loads(raw)) if raw else None
            new_lock, result = change(lock)
            pipe.multi()
            if new_lock is None:
                pipe.delete(key)
            else:
                pipe.set(key, new_lock.dumps())
            return result

        result: Result = self.red.transaction(attempt, key, value_from_callable=True)
        return result

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """A ticket number no other server has been given for this conversation."""

        def issue(lock: TicketLock | None) -> tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, issue)
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        """Drops expired tickets."""

        def expire(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, expire)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        """Removes the ticket of the message just handled."""

        def finish(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change(conversation_id, finish)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Removes the ticket, and the lock when nobody waits: one step, so a ticket another
        server issues meanwhile is never deleted with it."""

        def finish(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._change(conversation_id, finish)

    def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = WAIT_BETWEEN_ATTEMPTS_S,
    ) -> AbstractAsyncContextManager[TicketLock]:
        """Rasa's lock, looking again every 0.1 s while another message is being handled."""
        context: AbstractAsyncContextManager[TicketLock] = super().lock(
            conversation_id, lock_lifetime, wait_time_in_seconds
        )
        return context
