"""The desk's event streams (agent_desk/live.py) and what wakes them (agent_desk/changes.py).

Streams: a change is sent once, a stream reads again when woken or when its interval is up,
silence is kept alive, and a stream ends so the browser reconnects with its session checked.
Changes: writes to a real Redis wake exactly the streams that show what was written, with
nobody publishing anything (keyspace notifications), and only those.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator

import pytest

from agent_desk.changes import QUEUE, Changes, conversation_topic, ticket_topic, topics_of
from agent_desk.live import KEEP_ALIVE_S, RETRY_MS, StreamSlots, busy_stream, event_stream
from contract import keys
from harness.redis_server import RedisServer
from harness.ticket_helpers import draft
from tickets.store import TicketStore, connect


class Clock:
    """Time that moves only when the stream waits."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


class ScriptedWatch:
    """Wakes the stream at the given moments; otherwise waits out the whole timeout."""

    def __init__(self, clock: Clock, wakes: list[float], interval_s: float) -> None:
        self.clock = clock
        self.wakes = wakes
        self.interval_s = interval_s
        self.waits = 0

    def mark(self) -> int:
        return 0

    def wait(self, mark: int, timeout_s: float) -> bool:
        self.waits += 1
        due = [w for w in self.wakes if self.clock.now < w <= self.clock.now + timeout_s]
        if due:
            self.clock.now = due[0]
            return True
        self.clock.now += timeout_s
        return False

    def interval(self) -> float:
        return self.interval_s


def data_of(sent: list[str]) -> list[dict[str, int]]:
    return [json.loads(line[len("data: ") :]) for line in sent if line.startswith("data: ")]


def test_a_change_is_read_when_woken_and_sent_once() -> None:
    clock = Clock()
    figures = iter([{"n": 1}, {"n": 1}, {"n": 2}] + [{"n": 2}] * 100)
    reads = []

    def snapshot() -> dict[str, int]:
        reads.append(clock.now)
        return next(figures)

    watch = ScriptedWatch(clock, wakes=[5.0, 7.0], interval_s=30.0)
    sent = list(event_stream(snapshot, watch, 60.0, clock, clock.sleep))
    assert sent[0] == f"retry: {RETRY_MS}\n\n"
    assert data_of(sent) == [{"n": 1}, {"n": 2}]
    # Read at the start, after each wake (plus the settling pause), then at the interval only.
    assert [round(t) for t in reads] == [0, 5, 7, 37]
    assert sent.count(": still here\n\n") == int((60 - 7) // KEEP_ALIVE_S)
    assert clock.now == pytest.approx(60.0)


def test_the_server_time_alone_is_no_change_but_rides_along() -> None:
    clock = Clock()
    figures = iter([{"n": 1, "now": 1.0}, {"n": 1, "now": 5.0}, {"n": 2, "now": 7.0}])
    watch = ScriptedWatch(clock, wakes=[5.0, 7.0], interval_s=30.0)
    sent = list(event_stream(lambda: next(figures, None), watch, 60.0, clock, clock.sleep))
    assert data_of(sent) == [{"n": 1, "now": 1.0}, {"n": 2, "now": 7.0}]


def test_without_push_a_stream_reads_every_interval() -> None:
    clock = Clock()
    reads = []

    def snapshot() -> dict[str, int]:
        reads.append(clock.now)
        return {"n": 1}

    list(event_stream(snapshot, ScriptedWatch(clock, [], 3.0), 12.0, clock, clock.sleep))
    assert reads == [0.0, 3.0, 6.0, 9.0]


def test_a_stream_ends_when_its_source_is_gone() -> None:
    clock = Clock()
    figures = iter([{"n": 1}, None])
    watch = ScriptedWatch(clock, [], 1.0)
    sent = list(event_stream(lambda: next(figures), watch, 60.0, clock, clock.sleep))
    assert sent == [f"retry: {RETRY_MS}\n\n", 'data: {"n": 1}\n\n']


def test_slots_bound_the_streams_and_a_busy_page_gets_its_figures_once() -> None:
    slots = StreamSlots(2)
    assert [slots.take(), slots.take(), slots.take()] == [True, True, False]
    slots.give_back()
    assert slots.take()
    assert list(busy_stream({"n": 1})) == [
        "retry: 15000\n\n",
        "event: busy\ndata: {}\n\n",
        'data: {"n": 1}\n\n',
    ]


def test_which_writes_concern_which_pages() -> None:
    assert topics_of(keys.ticket("T-00007")) == (QUEUE, ticket_topic("T-00007"))
    assert topics_of(keys.ticket_history("T-00007")) == (QUEUE, ticket_topic("T-00007"))
    assert topics_of(keys.TICKETS_OPEN) == (QUEUE,)
    assert topics_of(keys.tracker_events("a:b")) == (conversation_topic("a:b"),)
    assert topics_of(keys.turns("abc")) == (conversation_topic("abc"),)
    assert topics_of(keys.tracker_session("abc")) == ()
    assert topics_of(keys.analytics_day("2026-01-01")) == ()


@pytest.fixture
def changes(redis_server: RedisServer) -> Iterator[Changes]:
    """A started feed on a Redis whose notifications are off, as a fresh server's are."""
    feed = Changes(connect(redis_server.url), refresh_s=3.0, fallback_s=30.0)
    feed.start()
    deadline = time.monotonic() + 10
    while not feed.pushing:
        assert time.monotonic() < deadline, "keyspace notifications never arrived"
        time.sleep(0.02)
    yield feed
    feed.stop()


def woken(changes: Changes, topics: tuple[str, ...], write: object, within_s: float = 5.0) -> bool:
    """Whether a stream watching `topics` wakes within `within_s` of `write()`."""
    mark = changes.mark(topics)
    timer = threading.Timer(0.05, write)  # type: ignore[arg-type]
    timer.start()
    try:
        return changes.wait(topics, mark, within_s)
    finally:
        timer.join()


def test_redis_writes_wake_the_streams_that_show_them(
    changes: Changes, redis_server: RedisServer
) -> None:
    client = connect(redis_server.url)
    assert "K" in client.config_get("notify-keyspace-events")["notify-keyspace-events"]
    assert changes.interval() == 30.0  # pushed: reading again only as a fallback
    store = TicketStore(client, 600)
    ticket, _ = store.open_ticket(draft("cust-9"))
    queue = (QUEUE,)
    page = (ticket_topic(ticket.reference), conversation_topic("cust-9"))
    assert woken(changes, queue, lambda: store.open_ticket(draft("cust-10")))
    assert woken(changes, page, lambda: store.claim(ticket.reference, "alex", "Alex", 1.0))
    message = json.dumps({"event": "user", "text": "hello?"})
    assert woken(changes, page, lambda: client.rpush(keys.tracker_events("cust-9"), message))
    # Someone else's conversation or an analytics counter wakes nobody here.
    other = keys.tracker_events("cust-10")
    assert not woken(changes, page, lambda: client.rpush(other, message), within_s=1.0)
    day = keys.analytics_day("d")
    assert not woken(changes, queue, lambda: client.hincrby(day, "x", 1), within_s=1.0)
