"""Server-sent events for the desk's live pages (queue, conversation).

It exists so a page is told about a change instead of asking every few seconds: the server
reads the page's figures (the same JSON the page's API answers) every `every_s` and sends them
only when they changed, so an unchanged queue costs the browser nothing and a change shows up
within one interval. A stream ends after `lifetime_s`; the browser's EventSource reconnects by
itself (after `retry`), which re-checks the agent's session and frees the server's thread.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

# The browser reconnects this soon after a stream ends (ms).
RETRY_MS = 1000
# A comment line now and then, so proxies do not close an idle stream.
KEEP_ALIVE_S = 15.0


def event_stream(
    snapshot: Callable[[], dict[str, Any] | None],
    every_s: float,
    lifetime_s: float,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[str]:
    """`retry`, then one `data:` event per change of `snapshot()`, until `lifetime_s` passed
    or `snapshot()` returns None (its source is gone: the browser reconnects and asks again)."""
    yield f"retry: {RETRY_MS}\n\n"
    started = last_sent = clock()
    shown = None
    while True:
        figures = snapshot()
        if figures is None:
            return
        current = json.dumps(figures, sort_keys=True, default=str)
        if current != shown:
            shown = current
            last_sent = clock()
            yield f"data: {current}\n\n"
        elif clock() - last_sent >= KEEP_ALIVE_S:
            last_sent = clock()
            yield ": still here\n\n"
        if clock() - started >= lifetime_s:
            return
        sleep(every_s)
