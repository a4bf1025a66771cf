"""Rasa's Redis lock store with every change of a lock made atomic, so it holds across servers,
in one Redis round trip per change.

Rasa 3.6's RedisLockStore changes a conversation's lock by GET, change in Python, SET. Inside one
Rasa server that is safe (one event loop, blocking calls); with several servers, two of them
can read the same lock at once, hand out the same ticket number and process one conversation's
messages at the same time. tests/scale caught it: two simultaneous messages through two Rasa
servers, and one customer message went missing from the conversation.

Each change is a Lua script (addons/stores/lock_scripts.py) that Redis runs atomically: taking
a ticket also says whether it is being served, so an uncontended message costs two round trips
(take, give back) instead of seven (WATCH, GET, MULTI/SET/EXEC twice, and a GET between them).
The stored lock stays Rasa's TicketLock JSON and expiry is judged by this server's clock, as
Rasa does. A waiting message looks again every 0.1 s instead of every second.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from addons.stores.client import SENTINEL_SETTINGS, store_client
from addons.stores.lock_scripts import CLEANUP, EXPIRE, ISSUE, LockScript

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

    def _run(self, script: LockScript, conversation_id: str, *args: object) -> Any:
        """Runs `script` on the conversation's lock key with this server's clock."""
        key = self.key_prefix + conversation_id
        return script.run(self.red, key, conversation_id, repr(time.time()), *args)

    def _issue(self, conversation_id: str, lock_lifetime: float) -> tuple[int, TicketLock]:
        """A new ticket (no other server gets its number) and the lock as stored after it."""
        try:
            number, raw = self._run(ISSUE, conversation_id, repr(float(lock_lifetime)))
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error
        return int(number), TicketLock.from_dict(json.loads(raw))

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """A ticket number no other server has been given for this conversation."""
        return self._issue(conversation_id, lock_lifetime)[0]

    def _expire(self, conversation_id: str) -> TicketLock | None:
        """Drops expired tickets; the lock as stored after that, None when there is none."""
        raw = self._run(EXPIRE, conversation_id)
        return TicketLock.from_dict(json.loads(raw)) if raw else None

    def update_lock(self, conversation_id: str) -> None:
        """Drops expired tickets."""
        self._expire(conversation_id)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        """Removes the ticket of the message just handled (the lock stays, even empty)."""
        self._run(CLEANUP, conversation_id, ticket_number, 0)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Removes the ticket, and the lock when nobody waits: one step, so a ticket another
        server issues meanwhile is never deleted with it."""
        self._run(CLEANUP, conversation_id, ticket_number, 1)

    def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = WAIT_BETWEEN_ATTEMPTS_S,
    ) -> AbstractAsyncContextManager[TicketLock]:
        """Rasa's lock: wait for this message's turn, looking again every 0.1 s (one round
        trip each), and give the ticket back however the block ends."""
        return self._locked(conversation_id, lock_lifetime, wait_time_in_seconds)

    @asynccontextmanager
    async def _locked(
        self, conversation_id: str, lock_lifetime: float, wait_time_in_seconds: float
    ) -> AsyncIterator[TicketLock]:
        ticket, lock = self._issue(conversation_id, lock_lifetime)
        try:
            yield await self._acquired(conversation_id, ticket, lock, wait_time_in_seconds)
        finally:
            self.cleanup(conversation_id, ticket)

    async def _acquired(
        self, conversation_id: str, ticket: int, lock: TicketLock | None, wait_s: float
    ) -> TicketLock:
        """Rasa's `_acquire_lock`, starting from the lock the ticket came with."""
        while lock is not None:
            if not lock.is_locked(ticket):
                return lock
            await asyncio.sleep(wait_s)
            lock = self._expire(conversation_id)
        raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")
