"""Follow-up emails waiting to be sent, in Redis, so none is lost to a crash or a mail outage.

A reply is queued in the same request that sends it to the chat; the mail-sender thread
(agent_desk/follow_up_mail.py) takes due emails one at a time with a lease (a desk that dies
mid-send leaves it due again after LEASE_S), and records each try: sent, or not sent with the
mail server's reason and when it tries again (the wait doubles from MAIL_RETRY_SECONDS), or
given up after MAIL_MAX_ATTEMPTS. The conversation page shows that state to the agent.
Several desk processes may share the outbox: the lease is taken atomically.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any, Final

import redis

from contract import keys
from contract.at_rest import sealer

QUEUED: Final = "queued"
SENT: Final = "sent"
RETRYING: Final = "retrying"
FAILED: Final = "failed"
# Longest a send may take before another desk process may try the same email.
LEASE_S: Final = 120.0
# Sent or given-up emails are kept this long for the agent to see, then expire.
KEEP_S: Final = 30 * 24 * 3600

# Takes the email if it is due now: its score moves to the end of the lease.
_TAKE_IF_DUE = """
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) <= tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
  return 1
end
return 0
"""


@dataclass(frozen=True)
class Mail:
    """One follow-up email: for which ticket, to whom, and how sending it went."""

    mail_id: str
    reference: str
    to: str
    subject: str
    body: str
    status: str
    attempts: int
    last_error: str
    created_at: float
    sent_at: float | None
    next_try_at: float | None

    @classmethod
    def from_hash(cls, mail_id: str, stored: dict[str, str]) -> Mail:
        """From Redis, the address and text opened (contract/at_rest.py)."""
        return cls(
            mail_id=mail_id,
            reference=stored.get("reference", ""),
            to=sealer().open(stored.get("to", "")),
            subject=stored.get("subject", ""),
            body=sealer().open(stored.get("body", "")),
            status=stored.get("status", QUEUED),
            attempts=int(stored.get("attempts") or 0),
            last_error=stored.get("last_error", ""),
            created_at=float(stored.get("created_at") or 0.0),
            sent_at=float(stored["sent_at"]) if stored.get("sent_at") else None,
            next_try_at=float(stored["next_try_at"]) if stored.get("next_try_at") else None,
        )


class MailOutbox:
    """The queue of follow-up emails and their sending state."""

    def __init__(self, client: redis.Redis, retry_first_s: float, max_attempts: int) -> None:
        """`client` decodes responses to str (tickets.store.connect)."""
        self._redis = client
        self._retry_first_s = retry_first_s
        self._max_attempts = max_attempts
        self._take = client.register_script(_TAKE_IF_DUE)

    def queue(self, reference: str, to: str, subject: str, body: str, now: float) -> str:
        """Adds an email, due at once; returns its id."""
        mail_id = secrets.token_hex(8)
        seal = sealer().seal
        fields = {
            "reference": reference,
            "to": seal(to),
            "subject": subject,
            "body": seal(body),
            "status": QUEUED,
            "attempts": "0",
            "created_at": repr(now),
            "next_try_at": repr(now),
        }
        with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(keys.mail(mail_id), mapping=fields)
            pipe.rpush(keys.ticket_mails(reference), mail_id)
            pipe.expire(keys.ticket_mails(reference), KEEP_S)
            pipe.zadd(keys.MAIL_DUE, {mail_id: now})
            pipe.execute()
        return mail_id

    def take_due(self, now: float) -> Mail | None:
        """The next email due for sending, leased to this caller; None when none is due."""
        for mail_id in self._redis.zrangebyscore(keys.MAIL_DUE, "-inf", now, start=0, num=10):
            if self._take(keys=[keys.MAIL_DUE], args=[mail_id, now, now + LEASE_S]):
                stored: dict[str, Any] = self._redis.hgetall(keys.mail(mail_id))
                if stored:
                    return Mail.from_hash(mail_id, stored)
                self._redis.zrem(keys.MAIL_DUE, mail_id)  # expired meanwhile
        return None

    def sent(self, mail: Mail, now: float) -> None:
        """Handed to the mail server: done."""
        with self._redis.pipeline(transaction=True) as pipe:
            pipe.zrem(keys.MAIL_DUE, mail.mail_id)
            pipe.hset(
                keys.mail(mail.mail_id),
                mapping={"status": SENT, "sent_at": repr(now), "attempts": mail.attempts + 1},
            )
            pipe.hdel(keys.mail(mail.mail_id), "next_try_at")
            pipe.expire(keys.mail(mail.mail_id), KEEP_S)
            pipe.execute()

    def not_sent(self, mail: Mail, error: str, now: float) -> None:
        """A failed try: due again after a doubling wait, or given up after the last try."""
        attempts = mail.attempts + 1
        fields: dict[str, Any] = {"attempts": attempts, "last_error": error[:300]}
        with self._redis.pipeline(transaction=True) as pipe:
            if attempts >= self._max_attempts:
                pipe.zrem(keys.MAIL_DUE, mail.mail_id)
                pipe.hdel(keys.mail(mail.mail_id), "next_try_at")
                pipe.expire(keys.mail(mail.mail_id), KEEP_S)
                fields["status"] = FAILED
            else:
                next_try = now + self._retry_first_s * 2 ** (attempts - 1)
                pipe.zadd(keys.MAIL_DUE, {mail.mail_id: next_try})
                fields.update(status=RETRYING, next_try_at=repr(next_try))
            pipe.hset(keys.mail(mail.mail_id), mapping=fields)
            pipe.execute()

    def for_ticket(self, reference: str) -> list[Mail]:
        """The ticket's follow-up emails, oldest first (expired ones left out)."""
        found = []
        for mail_id in self._redis.lrange(keys.ticket_mails(reference), 0, -1):
            stored: dict[str, Any] = self._redis.hgetall(keys.mail(mail_id))
            if stored:
                found.append(Mail.from_hash(mail_id, stored))
        return found
