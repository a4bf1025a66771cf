"""Each conversation's tracker kept in the Rasa process between its messages.

Reading a conversation back costs a Redis read of every event of its latest session, opening
each sealed event (Fernet) and replaying it into a new tracker: the part of a turn that grows
with the conversation (benchmarks/README.md). The tracker a message ends with is the one the
next message would read back, so the store keeps it after saving it, with what Redis held
then: the list's length, where the latest session starts, and the last entry as stored.

A kept tracker is used only while all three are unchanged in Redis, checked in one round trip
before each message. Sealed entries are never equal (each holds a random IV and the time), so
another Rasa server having served the conversation meanwhile, a rewrite of its latest
session, a failover that lost the last save, or an expiry all show as a difference, and the
conversation is read from Redis as before. A kept tracker is lent to one reader at a time
(taken out when read, put back by the save that follows), so a message that ends without a
save, or two readers at once, never see a tracker another message changed; and it is used only
if nothing was added to it since its save.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

# Conversations kept per Rasa server, the most recently saved ones. A 50-turn conversation's
# tracker takes about 1 MB; most take a few dozen KB.
KEPT_CONVERSATIONS = 256


@dataclass(frozen=True)
class StoredState:
    """What Redis held for a conversation: list length, latest session start, last entry."""

    length: int
    session_start: int
    last_entry: str | None


@dataclass(frozen=True)
class _Kept:
    tracker: DialogueStateTracker
    stored: StoredState
    # The tracker's own length and last event when it was saved: anything added since then
    # (a message that did not save) makes it unusable.
    events: int
    last_event: Event | None


class KeptTrackers:
    """The latest saved tracker of recently served conversations (see the module docstring)."""

    def __init__(self, capacity: int = KEPT_CONVERSATIONS) -> None:
        self._capacity = capacity
        self._kept: OrderedDict[str, _Kept] = OrderedDict()

    def keep(self, tracker: DialogueStateTracker, stored: StoredState) -> None:
        """Keeps `tracker`, just saved, as Redis now holds it."""
        events = tracker.events
        last_event = events[-1] if events else None
        self._kept[tracker.sender_id] = _Kept(tracker, stored, len(events), last_event)
        self._kept.move_to_end(tracker.sender_id)
        while len(self._kept) > self._capacity:
            self._kept.popitem(last=False)

    def take(self, sender_id: str, stored: StoredState) -> DialogueStateTracker | None:
        """The kept tracker if Redis still holds what it was saved as and nothing was added to
        it since; None otherwise. Either way it is no longer kept until saved again."""
        kept = self._kept.pop(sender_id, None)
        if kept is None or kept.stored != stored:
            return None
        events = kept.tracker.events
        if len(events) != kept.events or (events[-1] if events else None) is not kept.last_event:
            return None
        return kept.tracker

    def forget(self, sender_id: str) -> None:
        """Drops the conversation's kept tracker (its next reader reads Redis)."""
        self._kept.pop(sender_id, None)
