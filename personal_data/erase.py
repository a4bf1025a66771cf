"""Finding and deleting a conversation's data in Redis (every key contract/keys.py names for it).

A conversation's data: its tracker events and session start, its per-turn series, its
analytics link, its undelivered note, and its tickets (hash, history, notes, the queue and
closed indexes, the judgement and the open-ticket pointer). Day counters and reason counts
hold no personal data and stay.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

import redis

from contract import keys
from contract.at_rest import Sealer, SealError
from contract.follow_up import FollowUp

DAY_S = 24 * 3600
# The ticket fields tickets/model.py seals: those that can hold an email.
SEALED_TICKET_FIELDS = ("customer", "summary", "transcript")


@dataclass(frozen=True)
class Erased:
    """What one purge or forget deleted."""

    conversations: int
    tickets: int


class Eraser:
    """Reads and deletes conversations in one Redis (a client decoding answers to text)."""

    def __init__(self, client: redis.Redis, sealer: Sealer) -> None:
        """Dependencies are passed in; nothing is contacted here."""
        self._redis = client
        self._sealer = sealer

    def conversations(self) -> Iterator[str]:
        """Ids of the stored conversations."""
        head, tail = keys.tracker_events("*").split("*")
        for key in self._redis.scan_iter(keys.tracker_events("*"), count=500):
            yield key[len(head) : len(key) - len(tail)]

    def events(self, conversation: str) -> Iterator[str]:
        """The conversation's events as JSON text (opened); an entry that will not open is
        skipped (sealed with another key)."""
        for entry in self._redis.lrange(keys.tracker_events(conversation), 0, -1):
            try:
                yield self._sealer.open(entry)
            except SealError:
                continue

    def last_activity(self, conversation: str) -> float:
        """When the conversation's latest event happened (0 when it has none readable)."""
        entry = self._redis.lindex(keys.tracker_events(conversation), -1)
        try:
            return float(json.loads(self._sealer.open(entry or "{}")).get("timestamp") or 0.0)
        except (ValueError, SealError):
            return 0.0

    def mentions(self, conversation: str, email: str) -> bool:
        """The email appears anywhere in the conversation (text, slots, metadata)."""
        wanted = email.strip().lower()
        return any(wanted in event.lower() for event in self.events(conversation))

    def tickets_of(self, conversations: set[str], email: str = "") -> list[str]:
        """References of every ticket, open or closed, of these conversations or whose
        customer, summary or transcript mentions `email`."""
        found = []
        for key in self._redis.scan_iter(keys.ticket("*"), count=500):
            if key.endswith(":history"):
                continue
            fields = self._redis.hmget(key, "conversation_id", *SEALED_TICKET_FIELDS)
            if fields[0] in conversations or (email and self._opened_mention(fields[1:], email)):
                found.append(key[len(keys.TICKET_PREFIX) :])
        return found

    def _opened_mention(self, sealed: list[str | None], email: str) -> bool:
        for value in sealed:
            try:
                if value and email.strip().lower() in self._sealer.open(value).lower():
                    return True
            except SealError:
                continue
        return False

    def asked_for_email_to(self, email: str) -> set[str]:
        """Conversations whose customer left `email` for the reply (contract/follow_up.py)."""
        head, _ = keys.follow_up("*").split("*")
        found = set()
        for key in self._redis.scan_iter(keys.follow_up("*"), count=500):
            sealed = self._redis.hget(key, FollowUp.EMAIL_FIELD) or ""
            if self._opened_mention([sealed], email):
                found.add(key[len(head) :])
        return found

    def erase(self, conversations: set[str], email: str = "") -> Erased:
        """Deletes the conversations and their tickets (and any ticket mentioning `email`)."""
        references = self.tickets_of(conversations, email)
        pipe = self._redis.pipeline(transaction=False)
        for conversation in conversations:
            pipe.delete(
                keys.tracker_events(conversation),
                keys.tracker_session(conversation),
                keys.turns(conversation),
                keys.analytics_conversation(conversation),
                keys.conversation_ticket(conversation),
                keys.contacts("sender", conversation),
                keys.follow_up(conversation),
            )
            pipe.hdel(keys.UNDELIVERED, conversation)
        for reference in references:
            mails = self._redis.lrange(keys.ticket_mails(reference), 0, -1)
            pipe.delete(
                keys.ticket(reference),
                keys.ticket_history(reference),
                keys.ticket_notes(reference),
                keys.ticket_mails(reference),
                *(keys.mail(mail) for mail in mails),
            )
            if mails:
                pipe.zrem(keys.MAIL_DUE, *mails)
            for index in (keys.TICKETS_OPEN, keys.TICKETS_WAITING, keys.TICKETS_CLOSED):
                pipe.zrem(index, reference)
            pipe.hdel(keys.TICKETS_JUDGEMENTS, reference)
        pipe.execute()
        return Erased(len(conversations), len(references))

    def purge(self, retention_days: int, now: float) -> Erased:
        """Deletes every conversation whose last event is older than `retention_days`."""
        cutoff = now - retention_days * DAY_S
        old = {c for c in self.conversations() if self.last_activity(c) < cutoff}
        return self.erase(old)

    def forget(self, who: str) -> Erased:
        """Deletes every conversation with id `who` or mentioning the email `who`, and the
        contact history filed under that email."""
        found = {
            c for c in self.conversations() if c == who or ("@" in who and self.mentions(c, who))
        }
        if "@" in who:
            found |= self.asked_for_email_to(who)
        if "@" in who:
            self._redis.delete(keys.contacts("email", who))
        return self.erase(found)
