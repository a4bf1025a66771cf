"""Rasa's Redis tracker store, telling the channel when Redis failed (endpoints.yml names it).

Rasa wraps every tracker store in a fail-safe one that, when Redis is down, keeps the
conversation in memory and answers as if all were well: the message is then lost for good.
This store lets the error pass on unchanged, noting it first for `addons.channels.delivery`, so the
customer is told to send the message again instead.
"""

from __future__ import annotations

from typing import Any

from rasa.core.tracker_store import RedisTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

from addons.channels.delivery import note_storage_failure


class WatchedRedisTrackerStore(RedisTrackerStore):
    """RedisTrackerStore whose failures reach `addons.channels.delivery`."""

    async def save(self, tracker: DialogueStateTracker, *args: Any, **kwargs: Any) -> None:
        """Saves, or notes the failure and raises it."""
        try:
            await super().save(tracker, *args, **kwargs)
        except Exception:
            note_storage_failure()
            raise

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
