"""The action server's side of analytics (analytics/recorder.py): turns, handoffs, outcomes.

Counting must never stop or slow a conversation: the blocking Redis calls run off the event
loop (asyncio.to_thread), and a Redis error is logged and the figure lost.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from functools import lru_cache

import redis
from rasa_sdk import Tracker

from actions.settings import load_settings
from analytics.recorder import Recorder
from tickets.settings import load_ticket_config
from tickets.store import connect

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def get_recorder() -> Recorder:
    """The process's recorder, created on first use (never at import)."""
    config = load_ticket_config()
    return Recorder(connect(load_settings().redis_url), config.hours, config.idle_timeout_s)


def channel_of(tracker: Tracker) -> str:
    """The channel the customer wrote from ('rest', 'socketio' ...)."""
    return tracker.get_latest_input_channel() or "unknown"


def count_blocking(record: Callable[[Recorder], None]) -> None:
    """Runs `record` with the recorder (already off the event loop); errors are logged."""
    try:
        record(get_recorder())
    except redis.RedisError as error:
        logger.warning("analytics not recorded: %s", error)


async def count(record: Callable[[Recorder], None]) -> None:
    """Runs `record` with the recorder in a worker thread; errors are logged."""
    await asyncio.to_thread(count_blocking, record)


async def count_outcome(tracker: Tracker, kind: str) -> None:
    """A routine request done end to end (analytics.recorder.OUTCOMES)."""
    channel, now = channel_of(tracker), time.time()
    await count(lambda recorder: recorder.outcome(channel, kind, now))
