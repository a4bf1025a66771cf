"""Internal notes on a ticket: what agents tell each other, never the customer.

They exist so the next person on a conversation knows what was checked or promised without
asking. They live in Redis beside the ticket (`contract.keys.ticket_notes`) and are never
appended to the Rasa tracker, so no channel can ever deliver them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import redis

from agent_desk.i18n import gettext as _
from contract import keys

MAX_NOTE_CHARS = 2000


class NoteError(ValueError):
    """The note cannot be saved; the text says why, for the agent."""


@dataclass(frozen=True)
class Note:
    """One note: when, by whom (display name), what."""

    ts: float
    author: str
    text: str


class Notes:
    """The notes of every ticket."""

    def __init__(self, client: redis.Redis) -> None:
        """`client` answers str (decode_responses), as the ticket store's does."""
        self._redis = client

    def add(self, reference: str, author: str, text: str, now: float) -> Note:
        """Saves a note at the end of the ticket's list."""
        text = text.strip()
        if not text:
            raise NoteError(_("Write the note first."))
        if len(text) > MAX_NOTE_CHARS:
            raise NoteError(
                _("Notes are limited to %(count)s characters.") % {"count": MAX_NOTE_CHARS}
            )
        note = Note(now, author, text)
        self._redis.rpush(keys.ticket_notes(reference), json.dumps(note.__dict__))
        return note

    def of(self, reference: str) -> list[Note]:
        """The ticket's notes, oldest first."""
        raw = self._redis.lrange(keys.ticket_notes(reference), 0, -1)
        return [Note(**json.loads(item)) for item in raw]
