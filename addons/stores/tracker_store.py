"""Rasa's tracker store in Redis, saving only what each message adds to the conversation.

Rasa 3.6's RedisTrackerStore keeps a conversation as one JSON document. Every message reads
and replays all of it (retrieve); saving reads and replays it again, replays it once more to
compare (`_merge_trackers`), then writes all of it back. Measured with `python -m benchmarks`,
a turn late in a long conversation cost far more than an early one.

Here each event is one entry of a Redis list (contract/keys.py). Saving appends only the
events the message added; reading fetches only the latest conversation session (where it
starts is kept beside the list), which is all Rasa's `retrieve` returns anyway. Rasa's lock
store makes one message per conversation run at a time, so between a read and the save that
follows nobody else appends. A conversation stored by Rasa's own RedisTrackerStore is still
read (and continues in the new layout). Each event is sealed (encrypted) before it reaches Redis
and its append-only file, since it can hold an email the customer typed (contract/at_rest.py);
an event stored before that still reads.

Rasa also wraps every tracker store in a fail-safe one that, when Redis is down, keeps the
conversation in memory and answers as if all were well: the message is then lost for good.
This store lets the error pass on unchanged, noting it first for `addons.channels.delivery`, so
the customer is told to send the message again instead (`WatchedRedisTrackerStore`). When
an action failed for the message (the action server down), the same store keeps none of the
message's events: the customer is told to send it again, and the resend must show once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from rasa.core.tracker_store import RedisTrackerStore
from rasa.shared.core.constants import ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from addons.channels.delivery import note_saved, note_storage_failure, undelivered
from addons.json_text import dumps, loads
from addons.stores.client import SENTINEL_SETTINGS, store_client
from addons.stores.kept_trackers import KeptTrackers, StoredState
from contract import keys
from contract.at_rest import sealer

logger = logging.getLogger(__name__)
# How long a save waits for a replica to confirm it (Sentinel only).
REPLICA_WAIT_MS = 1000


def _session_starts(events: list[Event]) -> list[int]:
    """Positions of the events that open a conversation session."""
    return [
        i
        for i, event in enumerate(events)
        if isinstance(event, ActionExecuted) and event.action_name == ACTION_SESSION_START_NAME
    ]


def _latest_request(tracker: DialogueStateTracker) -> dict[str, Any]:
    """The customer's latest message as the recovery pass needs it (agent_desk/recovery.py).

    Read from the events, not `latest_message`: Rasa reverts a message whose action failed,
    which empties `latest_message`. The text is already masked (contract/privacy.py)."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return {
                "intent": (event.intent or {}).get("name"),
                "text": event.text or "",
                "timestamp": event.timestamp,
                "input_channel": event.input_channel,
                "metadata": event.metadata or {},
            }
    return {}


class WatchedRedisTrackerStore(RedisTrackerStore):
    """RedisTrackerStore whose failures reach `channels.delivery`, and which stores nothing of
    a message that did not go through."""

    async def save(self, tracker: DialogueStateTracker, *args: Any, **kwargs: Any) -> None:
        """Saves, or notes the failure and raises it; a message an action failed for is not
        saved at all (the conversation stays as it was before it)."""
        if undelivered():
            await self.note_undelivered(tracker.sender_id, _latest_request(tracker))
            return
        try:
            await super().save(tracker, *args, **kwargs)
        except Exception:
            note_storage_failure()
            raise
        note_saved(tracker.is_paused())

    async def note_undelivered(self, sender_id: str, request: dict[str, Any]) -> None:
        """Keeps the request that did not go through for the recovery pass, in place of the
        conversation's events (a Redis failure here is a storage failure like any other)."""
        try:
            self.red.hset(keys.UNDELIVERED, sender_id, sealer().seal(dumps(request)))
        except Exception:
            note_storage_failure()
            raise
        logger.info("a message that did not go through was not stored")

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """Reads, or notes the failure and raises it."""
        try:
            return await super().retrieve(sender_id)
        except Exception:
            note_storage_failure()
            raise

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        """Reads, or notes the failure and raises it."""
        try:
            return await super().retrieve_full_tracker(conversation_id)
        except Exception:
            note_storage_failure()
            raise


class AppendOnlyStorage(RedisTrackerStore):
    """How conversations are laid out in Redis and read back (see the module docstring)."""

    def __init__(self, domain: Domain, host: str = "localhost", **kwargs: Any) -> None:
        """RedisTrackerStore's settings, plus `sentinels` and `sentinel_master` for Redis
        Sentinel; the client comes from the project's one factory (addons/stores/client.py)."""
        sentinel = {name: kwargs.pop(name, None) for name in SENTINEL_SETTINGS}
        super().__init__(domain, host=host, **kwargs)
        self.red = store_client({"host": host, **kwargs, **sentinel}, decode_responses=True)
        self._replicated = bool(sentinel["sentinels"])
        self._sealer = sealer()
        self._kept = KeptTrackers()

    async def save(self, tracker: DialogueStateTracker, timeout: float | None = None) -> None:
        """Appends the events this tracker has beyond those stored, then keeps the tracker
        for the conversation's next message (addons/stores/kept_trackers.py)."""
        await self.stream_events(tracker)
        sender = tracker.sender_id
        self._kept.forget(sender)
        events_key, session_key = keys.tracker_events(sender), keys.tracker_session(sender)
        before = self._stored_state(sender)
        stored, session_start, last = before.length, before.session_start, before.last_entry
        # The tracker holds the stored events from the latest session on, then the new ones.
        known = stored - session_start
        events = list(tracker.events)
        continues = 0 <= known <= len(events) and (
            known == 0
            or loads(self._sealer.open(last or ""))["timestamp"] == events[known - 1].timestamp
        )
        if not continues:
            # Not read from here (Rasa's "replace events" API): it replaces the latest session.
            known = 0
            stored = session_start
        new = events[known:]
        sealed = [self._sealer.seal(dumps(event.as_dict())) for event in new]
        pipe = self.red.pipeline(transaction=True)
        if not continues and session_start:
            pipe.ltrim(events_key, 0, session_start - 1)
        elif not continues:
            pipe.delete(events_key)
        if sealed:
            pipe.rpush(events_key, *sealed)
        starts = _session_starts(new)
        if starts:
            pipe.set(session_key, stored + starts[-1])
        expiry = timeout or self.record_exp
        if expiry:
            pipe.expire(events_key, int(expiry)).expire(session_key, int(expiry))
        pipe.execute()
        if self._replicated:
            self._wait_for_a_replica()
        # Kept only when it is exactly what the next read would give: the latest session.
        if continues and (not starts or known + starts[-1] == 0):
            after = StoredState(
                stored + len(new),
                stored + starts[-1] if starts else session_start,
                sealed[-1] if sealed else last,
            )
            self._kept.keep(tracker, after)

    def _stored_state(self, sender_id: str) -> StoredState:
        """The conversation's list length, latest session start and last entry (one round trip)."""
        events_key = keys.tracker_events(sender_id)
        length, start, last = (
            self.red.pipeline(transaction=False)
            .llen(events_key)
            .get(keys.tracker_session(sender_id))
            .lindex(events_key, -1)
            .execute()
        )
        return StoredState(int(length), int(start or 0), last)

    def _wait_for_a_replica(self) -> None:
        """With Sentinel, the message is answered only once a replica holds it too (WAIT),
        so a failover right after the answer does not take the message with the old primary.
        Best effort: with no replica left (the other one was just promoted), or one too slow,
        the save stands as written, logged."""
        if self.red.wait(1, REPLICA_WAIT_MS) < 1:
            logger.warning("tracker saved on the primary only: no replica confirmed it")

    async def _retrieve(
        self, sender_id: str, fetch_all_sessions: bool
    ) -> DialogueStateTracker | None:
        """The latest session's events (or all), replayed into a tracker; None if unknown.
        The latest session comes from the kept tracker when Redis holds what it was saved as."""
        if fetch_all_sessions:
            start = 0
        else:
            stored = self._stored_state(sender_id)
            kept = self._kept.take(sender_id, stored)
            if kept is not None:
                return kept
            start = stored.session_start
        raw = self.red.lrange(keys.tracker_events(sender_id), start, -1)
        if not raw:
            # A conversation stored by Rasa's RedisTrackerStore before this one was configured.
            return await super()._retrieve(sender_id, fetch_all_sessions)
        tracker = self.init_tracker(sender_id)
        for data in raw:
            event = Event.from_parameters(loads(self._sealer.open(data)))
            if event is not None:
                tracker.update(event)
        return tracker

    async def keys(self) -> Iterable[str]:
        """Ids of the stored conversations."""
        pattern = keys.tracker_events("*")
        head, tail = pattern.split("*")
        return [key[len(head) : len(key) - len(tail)] for key in self.red.scan_iter(pattern)]


class AppendOnlyRedisTrackerStore(WatchedRedisTrackerStore, AppendOnlyStorage):
    """`tracker_store: {type: addons.stores.tracker_store.AppendOnlyRedisTrackerStore, ...}` with
    RedisTrackerStore's settings (url, port, db, password, record_exp, use_ssl ...). A Redis
    failure still reaches the channel first (WatchedRedisTrackerStore)."""
