"""Tickets in Redis: opening, the queue, atomic claims, closing, notices and judgements.

Every state change that two processes could race on (two agents claiming, the handoff action
and a desk) is one Lua script, so Redis runs it atomically. Redis runs with appendonly in the
launcher, so tickets survive a restart of Redis and of every other process.

The keys are listed in `contract.keys`.
"""

from __future__ import annotations

import json
from typing import Any, Protocol

import redis

from contract import keys, turns
from settings import redis_target
from tickets.model import CLAIMED, CLOSED, TRANSFERRED, WAITING, ClaimResult, Judgement, Ticket

OPEN = keys.TICKETS_OPEN
WAITING_SET = keys.TICKETS_WAITING
CLOSED_SET = keys.TICKETS_CLOSED
SEQ = keys.TICKETS_SEQ
COUNT_BY_REASON = keys.TICKETS_COUNT_BY_REASON
JUDGEMENTS = keys.TICKETS_JUDGEMENTS
ticket_key = keys.ticket
conversation_key = keys.conversation_ticket
history_key = keys.ticket_history


# KEYS: conversation, ticket, open, waiting, count_by_reason
# ARGV: ref, score, reason, field1, value1, field2, value2, ...
_OPEN = """
local existing = redis.call('GET', KEYS[1])
if existing then
  local status = redis.call('HGET', '{ticket_prefix}' .. existing, 'status')
  if status and status ~= 'closed' then return {existing, 0} end
end
redis.call('HSET', KEYS[2], unpack(ARGV, 4))
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
redis.call('ZADD', KEYS[4], ARGV[2], ARGV[1])
redis.call('SET', KEYS[1], ARGV[1])
redis.call('HINCRBY', KEYS[5], ARGV[3], 1)
return {ARGV[1], 1}
""".replace("{ticket_prefix}", keys.TICKET_PREFIX)

# KEYS: ticket, waiting, history.  ARGV: username, display name, now, ref, history entry
_CLAIM = """
local t = redis.call('HMGET', KEYS[1], 'status', 'holder', 'holder_name', 'claimed_at')
if not t[1] then return {'missing'} end
if t[1] == 'waiting' then
  redis.call('HSET', KEYS[1], 'status', 'claimed', 'holder', ARGV[1],
             'holder_name', ARGV[2], 'claimed_at', ARGV[3])
  redis.call('ZREM', KEYS[2], ARGV[4])
  redis.call('RPUSH', KEYS[3], ARGV[5])
  return {'ok'}
end
if t[1] == 'claimed' and t[2] == ARGV[1] then return {'ok'} end
return {t[1], t[2], t[3], t[4]}
"""

# KEYS: ticket, history.  ARGV: from username, to username, to name, from name, note, now, entry
# The holder passes the ticket on; it stays claimed, so nobody else can take it in between.
_TRANSFER = """
local t = redis.call('HMGET', KEYS[1], 'status', 'holder', 'holder_name', 'claimed_at')
if not t[1] then return {'missing'} end
if t[1] ~= 'claimed' or t[2] ~= ARGV[1] then return {t[1], t[2], t[3], t[4]} end
redis.call('HSET', KEYS[1], 'holder', ARGV[2], 'holder_name', ARGV[3],
           'transferred_from', ARGV[4], 'transfer_note', ARGV[5], 'transferred_at', ARGV[6])
redis.call('RPUSH', KEYS[2], ARGV[7])
return {'ok'}
"""

# KEYS: ticket, open, waiting, closed, conversation, history.
# ARGV: username, outcome, now, ref, history entry
_FINISH = """
local t = redis.call('HMGET', KEYS[1], 'status', 'holder')
if t[1] ~= 'claimed' or t[2] ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'status', 'closed', 'outcome', ARGV[2], 'closed_at', ARGV[3])
redis.call('ZREM', KEYS[2], ARGV[4])
redis.call('ZREM', KEYS[3], ARGV[4])
redis.call('ZADD', KEYS[4], ARGV[3], ARGV[4])
if redis.call('GET', KEYS[5]) == ARGV[4] then redis.call('DEL', KEYS[5]) end
redis.call('RPUSH', KEYS[6], ARGV[5])
return 1
"""

# KEYS: ticket.  ARGV: now.  Marks the unclaimed notice as sent, once, while still waiting.
_NOTICE = """
local t = redis.call('HMGET', KEYS[1], 'status', 'notified_at')
if t[1] ~= 'waiting' or (t[2] and t[2] ~= '') then return 0 end
redis.call('HSET', KEYS[1], 'notified_at', ARGV[1])
return 1
"""


class Agentish(Protocol):
    """Who takes part in a transfer (agent_desk.accounts.Agent fits)."""

    @property
    def username(self) -> str: ...

    @property
    def display_name(self) -> str: ...


def history_entry(now: float, event: str, by: str, to: str = "", note: str = "") -> str:
    """One line of a ticket's history: `event` (claimed, transferred, handed_back, closed) by
    the agent named `by`; a transfer also names who it went `to` and the holder's `note`."""
    entry = {"ts": now, "event": event, "by": by}
    if event == TRANSFERRED:
        entry.update(to=to, note=note)
    return json.dumps(entry, ensure_ascii=False)


def _claim_result(result: list[Any], username: str, display_name: str) -> ClaimResult:
    """A claim or transfer script's answer: ok, missing, or the ticket's current state."""
    if result[0] == "ok":
        return ClaimResult(ok=True, status=CLAIMED, holder=username, holder_name=display_name)
    if result[0] == "missing":
        return ClaimResult(ok=False, status="missing")
    status, holder, holder_name, claimed_at = (list(result) + ["", "", ""])[:4]
    return ClaimResult(
        ok=False,
        status=status,
        holder=holder or "",
        holder_name=holder_name or "",
        claimed_at=float(claimed_at) if claimed_at else None,
    )


def connect(url: str, timeout_s: float = 2.0) -> redis.Redis:
    """A client decoding answers to text, for a redis:// or redis+sentinel:// URL; it retries
    a command a few times across a Redis restart or failover (settings.redis_target)."""
    return redis_target.connect(url, decode_responses=True, timeout_s=timeout_s)


class TicketStore:
    """All ticket reads and writes; blocking (callers in async code use asyncio.to_thread)."""

    def __init__(self, client: redis.Redis, frustration_head_start_s: float) -> None:
        """`frustration_head_start_s`: queue credit for a fully frustrated customer."""
        self._redis = client
        self.client = client
        self._head_start_s = frustration_head_start_s
        self._open = client.register_script(_OPEN)
        self._claim = client.register_script(_CLAIM)
        self._finish = client.register_script(_FINISH)
        self._transfer = client.register_script(_TRANSFER)
        self._notice = client.register_script(_NOTICE)

    def ping(self) -> bool:
        """True when Redis answers."""
        try:
            return bool(self._redis.ping())
        except redis.RedisError:
            return False

    def priority(self, ticket: Ticket) -> float:
        """Queue score, lower first: the handoff time, earlier the more frustrated."""
        return ticket.created_at - max(0.0, min(1.0, ticket.frustration)) * self._head_start_s

    def open_ticket(self, draft: Ticket) -> tuple[Ticket, bool]:
        """Saves `draft` as a new ticket, or returns the conversation's open one.

        (ticket, True) when created. A conversation handed over again before its ticket is
        closed (for example after its Rasa session expired) keeps its one ticket.
        """
        reference = f"T-{int(self._redis.incr(SEQ)):05d}"
        draft.reference = reference
        draft.status = WAITING
        flat = [part for item in draft.to_hash().items() for part in item]
        ref, created = self._open(
            keys=[
                conversation_key(draft.conversation_id),
                ticket_key(reference),
                OPEN,
                WAITING_SET,
                COUNT_BY_REASON,
            ],
            args=[reference, self.priority(draft), draft.reason, *flat],
        )
        ticket = self.get(ref)
        if ticket is None:  # only if someone deletes keys by hand in between
            raise RuntimeError(f"ticket {ref} vanished right after it was opened")
        return ticket, bool(created)

    def get(self, reference: str) -> Ticket | None:
        """One ticket, or None."""
        raw = self._redis.hgetall(ticket_key(reference))
        return Ticket.from_hash(raw) if raw else None

    def _many(self, references: list[str]) -> list[Ticket]:
        pipe = self._redis.pipeline(transaction=False)
        for ref in references:
            pipe.hgetall(ticket_key(ref))
        return [Ticket.from_hash(raw) for raw in pipe.execute() if raw]

    def open_for_conversation(self, conversation_id: str) -> Ticket | None:
        """The conversation's ticket that is not closed yet, if any."""
        ref = self._redis.get(conversation_key(conversation_id))
        ticket = self.get(ref) if ref else None
        return ticket if ticket and ticket.status != CLOSED else None

    def queue(self) -> list[Ticket]:
        """Open tickets (waiting and claimed), in queue order."""
        return self._many(self._redis.zrange(OPEN, 0, -1))

    def waiting(self) -> list[Ticket]:
        """Tickets nobody has claimed, in queue order."""
        return self._many(self._redis.zrange(WAITING_SET, 0, -1))

    def recently_closed(self, limit: int = 20) -> list[Ticket]:
        """The last closed tickets, newest first (agents judge them after closing)."""
        return self._many(self._redis.zrevrange(CLOSED_SET, 0, limit - 1))

    def position(self, reference: str) -> int | None:
        """1-based place among unclaimed tickets, or None when it is not waiting."""
        rank = self._redis.zrank(WAITING_SET, reference)
        return None if rank is None else int(rank) + 1

    def claim(self, reference: str, username: str, display_name: str, now: float) -> ClaimResult:
        """Atomically makes `username` the holder; tells who holds it when someone else does."""
        entry = history_entry(now, CLAIMED, display_name)
        result = self._claim(
            keys=[ticket_key(reference), WAITING_SET, history_key(reference)],
            args=[username, display_name, now, reference, entry],
        )
        return _claim_result(result, username, display_name)

    def transfer(
        self, reference: str, holder: Agentish, to: Agentish, note: str, now: float
    ) -> ClaimResult:
        """Atomically passes a ticket `holder` holds to `to`; otherwise tells who holds it."""
        entry = history_entry(now, TRANSFERRED, holder.display_name, to.display_name, note)
        result = self._transfer(
            keys=[ticket_key(reference), history_key(reference)],
            args=[
                holder.username,
                to.username,
                to.display_name,
                holder.display_name,
                note,
                now,
                entry,
            ],
        )
        return _claim_result(result, to.username, to.display_name)

    def finish(self, reference: str, username: str, outcome: str, now: float) -> bool:
        """Closes a ticket `username` holds; False when they do not hold it (any more)."""
        ticket = self.get(reference)
        if ticket is None:
            return False
        return bool(
            self._finish(
                keys=[
                    ticket_key(reference),
                    OPEN,
                    WAITING_SET,
                    CLOSED_SET,
                    conversation_key(ticket.conversation_id),
                    history_key(reference),
                ],
                args=[
                    username,
                    outcome,
                    now,
                    reference,
                    history_entry(now, outcome, ticket.holder_name),
                ],
            )
        )

    def history(self, reference: str) -> list[dict[str, Any]]:
        """What agents did with the ticket, oldest first (see `history_entry`)."""
        return [json.loads(text) for text in self._redis.lrange(history_key(reference), 0, -1)]

    def mark_notified(self, reference: str, now: float) -> bool:
        """True exactly once per ticket, and only while nobody has claimed it."""
        return bool(self._notice(keys=[ticket_key(reference)], args=[now]))

    def unmark_notified(self, reference: str) -> None:
        """The notice could not be sent: let the next check try again."""
        self._redis.hset(ticket_key(reference), "notified_at", "")

    def judge(self, reference: str, needed: bool, agent: str, now: float) -> Judgement | None:
        """Records (or replaces) whether the handoff was needed; None for an unknown ticket."""
        ticket = self.get(reference)
        if ticket is None:
            return None
        judgement = Judgement(reference, ticket.reason, needed, agent, now)
        pipe = self._redis.pipeline(transaction=True)
        pipe.hset(
            ticket_key(reference),
            mapping={
                "judgement": "needed" if needed else "not_needed",
                "judged_by": agent,
                "judged_at": str(now),
            },
        )
        pipe.hset(JUDGEMENTS, reference, judgement.to_json())
        pipe.execute()
        return judgement

    def judgements(self) -> list[Judgement]:
        """Every recorded judgement."""
        return [Judgement.from_json(text) for text in self._redis.hvals(JUDGEMENTS)]

    def handoffs_by_reason(self) -> dict[str, int]:
        """How many tickets each reason has opened."""
        return {reason: int(n) for reason, n in self._redis.hgetall(COUNT_BY_REASON).items()}

    def link_chatwoot(self, reference: str, chatwoot_id: str) -> None:
        """Keeps the Chatwoot conversation with the ticket, and the way back from it."""
        pipe = self._redis.pipeline(transaction=True)
        pipe.hset(ticket_key(reference), "chatwoot_conversation_id", chatwoot_id)
        pipe.set(keys.chatwoot_conversation(chatwoot_id), reference)
        pipe.execute()

    def for_chatwoot(self, chatwoot_id: str) -> Ticket | None:
        """The ticket (open or closed) a Chatwoot conversation was opened for, or None."""
        reference = self._redis.get(keys.chatwoot_conversation(chatwoot_id))
        return self.get(reference) if reference else None

    def turns(self, conversation_id: str) -> list[dict[str, Any]]:
        """The per-turn sentiment series (`contract.turns`)."""
        return turns.read_turns(self._redis, conversation_id)
