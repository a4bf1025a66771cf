"""Did a customer's message really go through? Every channel asks here before answering.

Rasa hides two failures from its channels: a tracker that cannot be saved (its fail-safe
store keeps it in memory and carries on) and an action that cannot be run (the processor logs
"the actions events are lost" and carries on). The customer then gets nothing, or an answer
to a message that was never stored. `delivery()` collects both for one message, so a channel
can tell the customer plainly to try again, and note the conversation for a later look
(a request for a person is ticketed when the action server is back: agent_desk/recovery.py).

A message is either answered or not stored: when an action failed, the tracker store keeps
none of the message's events (`undelivered`), so the customer's resend shows once to the
agent, in the widget's history and in the analytics. Only what the recovery pass needs (the
request's intent and masked text) is noted beside the conversation, by the store.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from rasa.core.channels.channel import UserMessage
from redis import asyncio as aioredis

from contract import keys
from settings.redis_target import connect_async

RETRY_TEXT = "Sorry, your message did not go through. Please send it again in a moment."
RETRY_AFTER_S = 3

# Loggers and message starts through which Rasa reports an action it could not run.
ACTION_FAILURE_LOGS = {
    "rasa.core.processor": "Encountered an exception while running action",
    "rasa.core.actions.action": "Failed to execute custom action",
}


@dataclass
class Delivery:
    """What went wrong while one message was handled (empty: it went through)."""

    storage_failed: bool = False
    actions_failed: list[str] = field(default_factory=list)
    # The conversation was saved paused: a person has it, and their answer comes later.
    paused: bool = False

    @property
    def ok(self) -> bool:
        """Stored, and every action it needed ran."""
        return not self.storage_failed and not self.actions_failed


logger = logging.getLogger(__name__)
_current: ContextVar[Delivery | None] = ContextVar("delivery", default=None)


def note_storage_failure() -> None:
    """Called by the tracker store when Redis refused a read or a write."""
    current = _current.get()
    if current is not None:
        current.storage_failed = True


def note_saved(paused: bool) -> None:
    """Called by the tracker store after a save: whether the bot is paused (a person has it)."""
    current = _current.get()
    if current is not None:
        current.paused = paused


def undelivered() -> bool:
    """Asked by the tracker store before a save: True when an action failed for the message
    being handled, so the store keeps none of its events."""
    current = _current.get()
    return current is not None and bool(current.actions_failed)


class _ActionFailureFilter(logging.Filter):
    """Notes Rasa's "action failed" log lines into the current message's Delivery."""

    def filter(self, record: logging.LogRecord) -> bool:
        start = ACTION_FAILURE_LOGS.get(record.name)
        current = _current.get()
        if current is not None and start and str(record.msg).startswith(start):
            current.actions_failed.append(record.name)
        return True


_FILTER = _ActionFailureFilter()


def watch_action_failures() -> None:
    """Installs the log filter once (idempotent; channels call it when they are built)."""
    for name in ACTION_FAILURE_LOGS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


@contextmanager
def delivery() -> Iterator[Delivery]:
    """Collects the failures of the message handled inside the block."""
    current = Delivery()
    token = _current.set(current)
    try:
        yield current
    finally:
        _current.reset(token)


async def remember_failed(redis_url: str, conversation_id: str) -> None:
    """Notes the conversation for the recovery pass, keeping the request the tracker store
    noted if it got that far; quietly does nothing with Redis down (then nothing was stored
    either, and the customer was told to send it again)."""
    client = connect_async(redis_url)
    try:
        await client.hsetnx(keys.UNDELIVERED, conversation_id, "{}")
    except aioredis.RedisError:
        return
    finally:
        await client.close()


async def handled(
    on_new_message: Callable[[UserMessage], Awaitable[Any]], message: UserMessage
) -> Delivery:
    """Handles the message; what happened to it (`ok` False: not stored or an action failed)."""
    watch_action_failures()
    with delivery() as outcome:
        try:
            await on_new_message(message)
        except (Exception, asyncio.CancelledError) as error:
            # The type only: the message text is the customer's and stays out of logs.
            logger.error("a message was not handled (%s)", type(error).__name__)
            outcome.storage_failed = True
            return outcome
    if not outcome.ok:
        logger.error("a message did not go through (%s)", outcome)
    return outcome


async def went_through(
    on_new_message: Callable[[UserMessage], Awaitable[Any]], message: UserMessage
) -> bool:
    """Handles the message; False when it was not stored or an action it needed failed."""
    return (await handled(on_new_message, message)).ok
