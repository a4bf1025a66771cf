"""Tells the desk's live streams when what they show has changed, instead of each asking.

Redis itself announces every write: with keyspace notifications on, a write to a key publishes
its name on `__keyspace@<db>__:<key>`. One thread per desk process subscribes to the keys the
live pages show (tickets and the queue, a conversation's events as our tracker store writes
them, its per-turn series) and wakes the streams that show them; a stream then reads its
figures once and sends them if they changed. No code that writes those keys (the action
server, Rasa's tracker store, other desk processes) has to publish anything, so no writer can
forget to.

The thread turns notifications on (`CONFIG SET notify-keyspace-events`, adding to what is
set) and then proves they arrive with a probe write. Where CONFIG is refused (managed Redis),
set `notify-keyspace-events Klhz` in that Redis's own configuration; until a probe arrives,
and while the subscription is down, streams fall back to reading every `refresh_s`. Keyspace
notifications are fire-and-forget, so streams also re-read every `fallback_s` when all is well.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Iterable

import redis

from contract import keys

logger = logging.getLogger(__name__)

QUEUE = "queue"
"""The topic of any change to the open tickets (the queue page shows them all)."""
NEEDED_FLAGS = "Klhz"  # keyspace channel; list, hash and sorted-set commands
PROBE_KEY = keys.PREFIX + "desk:probe"
PROBE_WAIT_S = 2.0
RETRY_S = 2.0


def ticket_topic(reference: str) -> str:
    """Changes to one ticket (holder, status, history)."""
    return f"ticket:{reference}"


def conversation_topic(conversation_id: str) -> str:
    """New events or turns of one conversation."""
    return f"conversation:{conversation_id}"


def topics_of(key: str) -> tuple[str, ...]:
    """The topics a write to `key` concerns (none for keys no page shows)."""
    if key in (keys.TICKETS_OPEN, keys.TICKETS_WAITING):
        return (QUEUE,)
    if key.startswith(keys.TICKET_PREFIX):
        reference = key[len(keys.TICKET_PREFIX) :].split(":", 1)[0]
        return (QUEUE, ticket_topic(reference))
    tracker_prefix, tracker_suffix = keys.tracker_events("|").split("|")
    if key.startswith(tracker_prefix) and key.endswith(tracker_suffix):
        return (conversation_topic(key[len(tracker_prefix) : -len(tracker_suffix)]),)
    if key.startswith(keys.turns("")):
        return (conversation_topic(key[len(keys.turns("")) :]),)
    return ()


def merged_flags(current: str) -> str:
    """`current` notify-keyspace-events flags plus the ones the desk needs."""
    have = set(current)
    covered = set("g$lshzxetd") if "A" in have else set()
    return current + "".join(f for f in NEEDED_FLAGS if f not in have and f not in covered)


class TopicWatch:
    """Some topics of a `Changes`, as one live stream waits on them."""

    def __init__(self, changes: Changes, topics: tuple[str, ...]) -> None:
        """Made by Changes.watch."""
        self._changes = changes
        self._topics = topics

    def mark(self) -> tuple[int, ...]:
        """Where the topics stand now."""
        return self._changes.mark(self._topics)

    def wait(self, mark: tuple[int, ...], timeout_s: float) -> bool:
        """Until a topic moved past `mark` (True) or `timeout_s` passed (False)."""
        return self._changes.wait(self._topics, mark, timeout_s)

    def interval(self) -> float:
        """How long to wait at most before reading again anyway."""
        return self._changes.interval()


class Changes:
    """Counters per topic, raised by one listening thread; streams wait for them to move."""

    def __init__(self, client: redis.Redis, refresh_s: float, fallback_s: float) -> None:
        """`client`: the desk's Redis; `refresh_s`: how often streams read without push;
        `fallback_s`: how often they read anyway while push works."""
        self._redis = client
        self.refresh_s = refresh_s
        self.fallback_s = fallback_s
        self._counts: defaultdict[str, int] = defaultdict(int)
        self._generation = 0  # raised when a (re)subscription may have missed writes
        self._changed = threading.Condition()
        self._stopped = threading.Event()
        self.pushing = False
        db = client.connection_pool.connection_kwargs.get("db", 0)
        self._channel_prefix = f"__keyspace@{db}__:"
        self._thread = threading.Thread(target=self._run, name="desk-changes", daemon=True)

    def start(self) -> None:
        """Starts the listening thread (a daemon: it never keeps the process alive)."""
        self._thread.start()

    def stop(self) -> None:
        """Ends the listening thread within a second."""
        self._stopped.set()

    def mark(self, topics: Iterable[str]) -> tuple[int, ...]:
        """Where `topics` stand now; pass it to `wait` after reading the figures."""
        with self._changed:
            return (self._generation, *(self._counts[topic] for topic in topics))

    def wait(self, topics: Iterable[str], mark: tuple[int, ...], timeout_s: float) -> bool:
        """Until one of `topics` moved past `mark` (True) or `timeout_s` passed (False)."""
        wanted = list(topics)
        with self._changed:
            return self._changed.wait_for(lambda: self.mark(wanted) != mark, timeout_s)

    def interval(self) -> float:
        """How long a stream may wait before reading again whatever it heard."""
        return self.fallback_s if self.pushing else self.refresh_s

    def watch(self, topics: Iterable[str]) -> TopicWatch:
        """What one stream waits on (agent_desk.live.Watch)."""
        return TopicWatch(self, tuple(topics))

    def _raise(self, topics: Iterable[str], everything: bool = False) -> None:
        with self._changed:
            for topic in topics:
                self._counts[topic] += 1
            if everything:
                self._generation += 1
            self._changed.notify_all()

    def _enable(self) -> None:
        """Turns keyspace notifications on where this Redis allows CONFIG."""
        try:
            current = str(
                self._redis.config_get("notify-keyspace-events").get("notify-keyspace-events", "")
            )
            wanted = merged_flags(current)
            if wanted != current:
                self._redis.config_set("notify-keyspace-events", wanted)
        except redis.ResponseError as error:
            logger.warning("cannot turn on keyspace notifications (%s); checking anyway", error)

    def _run(self) -> None:
        while not self._stopped.is_set():
            try:
                self._listen()
            except redis.RedisError as error:
                logger.warning(
                    "live updates: Redis subscription lost (%s); reading every %ss",
                    error,
                    self.refresh_s,
                )
            self.pushing = False
            self._stopped.wait(RETRY_S)

    def _listen(self) -> None:
        self._enable()
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        try:
            prefix = self._channel_prefix
            patterns = [
                prefix + keys.TICKET_PREFIX + "*",
                prefix + keys.TICKETS_OPEN,
                prefix + keys.TICKETS_WAITING,
                prefix + keys.tracker_events("*"),
                prefix + keys.turns("*"),
            ]
            pubsub.psubscribe(*patterns)
            pubsub.subscribe(prefix + PROBE_KEY)
            probe_sent = self._probe()
            while not self._stopped.is_set():
                message = pubsub.get_message(timeout=1.0)
                if message is not None:
                    self._heard(str(message["channel"]))
                elif not self.pushing and time.monotonic() - probe_sent > PROBE_WAIT_S:
                    probe_sent = self._probe()
        finally:
            pubsub.close()

    def _probe(self) -> float:
        pipe = self._redis.pipeline(transaction=False)
        pipe.rpush(PROBE_KEY, "1")
        pipe.ltrim(PROBE_KEY, -1, -1)
        pipe.expire(PROBE_KEY, 60)
        pipe.execute()
        return time.monotonic()

    def _heard(self, channel: str) -> None:
        key = channel.removeprefix(self._channel_prefix)
        if key == PROBE_KEY:
            if not self.pushing:
                logger.info("live updates: pushed by Redis keyspace notifications")
                self.pushing = True
                self._raise((), everything=True)  # anything written before now was not heard
            return
        topics = topics_of(key)
        if topics:
            self._raise(topics)
