"""Server-sent events for the desk's live pages (queue, conversation).

It exists so a page is told about a change instead of asking every few seconds. A stream
reads the page's figures (the same JSON the page's API answers), sends them when they changed,
then waits until Redis reports a write to what the page shows (agent_desk/changes.py) or, at
the latest, until the watch's interval passed, and reads again. A stream ends after
`lifetime_s`; the browser's EventSource reconnects by itself (after `retry`), which re-checks
the agent's session and frees the server's thread.

Each stream holds one of the web server's threads, so `StreamSlots` bounds how many run at
once: a page that finds them all taken gets its figures once and reconnects later, and page
loads and form posts always find a free thread.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, Protocol

# The browser reconnects this soon after a stream ends (ms).
RETRY_MS = 1000
# ... and this late when every stream slot was taken (ms).
BUSY_RETRY_MS = 15_000
# A comment line now and then, so proxies do not close an idle stream.
KEEP_ALIVE_S = 15.0
# After a change is heard, the writes that come with it (a claim is three) are waited for.
SETTLE_S = 0.03


class Watch(Protocol):
    """What a stream waits on (agent_desk.changes.Changes.watch gives one)."""

    def mark(self) -> Any:
        """Where the watched things stand now."""

    def wait(self, mark: Any, timeout_s: float) -> bool:
        """Until something moved past `mark` (True) or `timeout_s` passed (False)."""

    def interval(self) -> float:
        """How long to wait at most before reading again anyway."""


# The key of a snapshot's server timestamp (agent_desk/views.py, static/clock.js).
SERVER_NOW = "now"


def event_stream(
    snapshot: Callable[[], dict[str, Any] | None],
    watch: Watch,
    lifetime_s: float,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[str]:
    """`retry`, then one `data:` event per change of `snapshot()`, until `lifetime_s` passed
    or `snapshot()` returns None (its source is gone: the browser reconnects and asks again)."""
    yield f"retry: {RETRY_MS}\n\n"
    started = last_sent = clock()
    shown = None
    while clock() - started < lifetime_s:
        mark = watch.mark()
        figures = snapshot()
        if figures is None:
            return
        read_at = clock()
        # The server's clock rides along (pages tick from it) but is no change by itself.
        current = json.dumps(
            {k: v for k, v in figures.items() if k != SERVER_NOW}, sort_keys=True, default=str
        )
        if current != shown:
            shown = current
            last_sent = read_at
            yield f"data: {json.dumps(figures, sort_keys=True, default=str)}\n\n"
        while True:
            now = clock()
            deadline = min(read_at + watch.interval(), started + lifetime_s)
            if now >= deadline:
                break
            if watch.wait(mark, min(deadline - now, max(0.0, last_sent + KEEP_ALIVE_S - now))):
                sleep(SETTLE_S)
                break
            if clock() - last_sent >= KEEP_ALIVE_S:
                last_sent = clock()
                yield ": still here\n\n"


def busy_stream(figures: dict[str, Any] | None) -> Iterator[str]:
    """For a page that found every slot taken: its figures once, and come back later (the
    `busy` event lets the page say why it is not live)."""
    yield f"retry: {BUSY_RETRY_MS}\n\n"
    yield "event: busy\ndata: {}\n\n"
    if figures is not None:
        yield f"data: {json.dumps(figures, sort_keys=True, default=str)}\n\n"


class StreamSlots:
    """At most `limit` streams at once (each holds a web-server thread while open)."""

    def __init__(self, limit: int) -> None:
        """`limit`: config/desk.yml `max_live_streams`."""
        self.limit = limit
        self._free = threading.BoundedSemaphore(limit)

    def take(self) -> bool:
        """A slot, or False when all are taken (never waits)."""
        return self._free.acquire(blocking=False)

    def give_back(self) -> None:
        """The stream ended (the response's close, which the web server always calls)."""
        self._free.release()
