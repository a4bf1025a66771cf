"""The writer: counters kept up to date in Redis as conversations happen.

Pages and the report never scan trackers: every figure is a sum of small per-day hashes
(`contract.keys.analytics_day`), each field `metric|channel|detail` holding a number. The
action server (turns, handoffs, routine outcomes) and the agent desk (claims, replies,
judgements, notices) write them, each through one of the methods below.

Things that must count once however often they happen (a conversation's start, its first
handoff, a ticket's claim and first reply, a judgement that an agent changes) are Lua scripts,
so two processes racing cannot count them twice. Figures about a ticket count on the day it was
opened, and a handed-over conversation on the day it started, so a date range always compares
like with like (a conversation that ran past midnight is not contained one day and handed over
the next).

Blocking (redis-py): the action server calls it through asyncio.to_thread (actions/metrics.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any

import redis

from contract import keys
from contract.privacy import mask_emails
from contract.slots import LEVELS
from tickets.availability import Availability
from tickets.model import Ticket
from tickets.settings import StaffedHours

RETENTION_S = 400 * 86400
"""Day counters are kept a little over a year (year-on-year comparisons), then expire."""
CONVERSATION_MARK_S = 7 * 86400
"""How long a conversation's start day is remembered for its handoff to count against it."""
FALLBACK_EXAMPLES_PER_DAY = 50
MAX_EXAMPLE_CHARS = 200
CSAT_COMMENTS_PER_DAY = 200
CLAIM_BUCKETS = ((60, "under 1 min"), (300, "1-5 min"), (900, "5-15 min"), (3600, "15-60 min"))
LAST_CLAIM_BUCKET = "over 1 h"

# Metric names (the first part of a counter field).
CONVERSATIONS = "conversations"
CONVERSATIONS_AFTER_HOURS = "conversations_after_hours"
HANDED_OVER = "handed_over"
HANDOFFS = "handoffs"
HANDOFFS_AFTER_HOURS = "handoffs_after_hours"
CUE = "cue"
ROSE_INTENT = "rose_intent"
ROSE_FLOW = "rose_flow"
FALLBACKS = "fallbacks"
CLAIMED = "claimed"
CLAIM_SECONDS = "claim_seconds"
CLAIM_BUCKET = "claim_bucket"
REPLIED = "replied"
REPLY_SECONDS = "reply_seconds"
UNCLAIMED_NOTICES = "unclaimed_notices"
JUDGED = "judged"
OUTCOME = "outcome"
ANSWERED = "answered"
"""Customer messages the assistant (not a person) answered."""
MISUNDERSTOOD = "misunderstood"
"""Of those, messages it misread: kept for review (analytics/review_store.py)."""
# Satisfaction ratings (contract/csat.py), detail "handled:trigger:agent" where handled is
# ASSISTANT_RESOLVED or PERSON_HANDLED and agent the username (empty for the assistant).
CSAT_RATINGS = "csat_ratings"
CSAT_SCORE_SUM = "csat_score_sum"
CSAT_SATISFIED = "csat_satisfied"
ASSISTANT_RESOLVED = "assistant"
PERSON_HANDLED = "person"

# Routine outcomes (the detail of OUTCOME).
DELIVERY_ANSWERED = "delivery_answered"
REFUND_STATUS_ANSWERED = "refund_status_answered"
REFUND_CREATED = "refund_created"
ORDER_CANCELLED = "order_cancelled"
OUTCOMES = (DELIVERY_ANSWERED, REFUND_STATUS_ANSWERED, REFUND_CREATED, ORDER_CANCELLED)

# KEYS: flag hash, day hash.  ARGV: flag field, flag value, ttl (0 = keep), field, n, field, n...
# Sets the flag once; only the call that set it adds to the counters.
_ONCE = """
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
if tonumber(ARGV[3]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[3]) end
for i = 4, #ARGV, 2 do redis.call('HINCRBYFLOAT', KEYS[2], ARGV[i], ARGV[i + 1]) end
redis.call('EXPIRE', KEYS[2], {retention})
return 1
""".replace("{retention}", str(RETENTION_S))

# KEYS: ticket hash, day hash.  ARGV: new verdict, field prefix.  A changed verdict moves the count.
_JUDGE = """
local old = redis.call('HGET', KEYS[1], 'analytics_judgement')
if old == ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'analytics_judgement', ARGV[1])
if old then redis.call('HINCRBYFLOAT', KEYS[2], ARGV[2] .. old, -1) end
redis.call('HINCRBYFLOAT', KEYS[2], ARGV[2] .. ARGV[1], 1)
redis.call('EXPIRE', KEYS[2], {retention})
return 1
""".replace("{retention}", str(RETENTION_S))


def field(metric: str, channel: str, detail: str = "") -> str:
    """One counter's field in a day hash."""
    return f"{metric}|{channel}|{detail}"


def claim_bucket(seconds: float) -> str:
    """The histogram bar a time to claim falls in."""
    return next((label for limit, label in CLAIM_BUCKETS if seconds < limit), LAST_CLAIM_BUCKET)


def level_rose(before: str | None, after: str) -> bool:
    """The customer's level went up this turn (calm -> annoyed, annoyed -> frustrated ...)."""
    rank = {level: i for i, level in enumerate(LEVELS)}
    return rank.get(after, 0) > rank.get(before or LEVELS[0], 0)


class Recorder:
    """Counts what happens; every method is one or two Redis round trips."""

    def __init__(self, client: redis.Redis, hours: StaffedHours, idle_timeout_s: float) -> None:
        """`hours` gives the time zone that days are counted in; a moment is after hours when no
        agent is available at the desk (tickets/availability.py, `idle_timeout_s`)."""
        self._redis = client
        self._hours = hours
        self._availability = Availability(client, idle_timeout_s)
        self._once = client.register_script(_ONCE)
        self._judge = client.register_script(_JUDGE)

    def day(self, ts: float) -> str:
        """The local date (ISO) of a moment, in the desk's time zone."""
        return (
            datetime.fromtimestamp(ts, tz=timezone.utc)
            .astimezone(self._hours.timezone)
            .date()
            .isoformat()
        )

    def after_hours(self, ts: float) -> bool:
        """No agent is available at `ts` (asked at that moment: counting happens as it happens)."""
        return not self._availability.available(ts)

    def _add(self, day: str, counts: Iterable[tuple[str, float]]) -> None:
        pipe = self._redis.pipeline(transaction=False)
        for name, amount in counts:
            pipe.hincrbyfloat(keys.analytics_day(day), name, amount)
        pipe.expire(keys.analytics_day(day), RETENTION_S)
        pipe.execute()

    def _count_once(
        self, flag_key: str, flag: str, value: str, ttl: int, day: str, counts: dict[str, float]
    ) -> bool:
        flat = [part for item in counts.items() for part in item]
        return bool(
            self._once(keys=[flag_key, keys.analytics_day(day)], args=[flag, value, ttl, *flat])
        )

    def turn(
        self,
        conversation_id: str,
        channel: str,
        intent: str | None,
        flow: str,
        levels: tuple[str | None, str],
        failed: bool,
        text: str,
        now: float,
    ) -> None:
        """One analysed customer message: a new conversation, a rise in frustration (with the
        intent and flow it happened in), a misunderstanding with its text as an example."""
        day = self.day(now)
        start = {field(CONVERSATIONS, channel): 1.0}
        if self.after_hours(now):
            start[field(CONVERSATIONS_AFTER_HOURS, channel)] = 1.0
        mark = keys.analytics_conversation(conversation_id)
        if self._count_once(mark, "day", day, CONVERSATION_MARK_S, day, start):
            self._redis.hset(mark, "channel", channel)
        counts: list[tuple[str, float]] = []
        if level_rose(*levels):
            counts += [(field(ROSE_INTENT, channel, intent or "unknown"), 1.0)]
            counts += [(field(ROSE_FLOW, channel, flow), 1.0)]
        if failed:
            counts.append((field(FALLBACKS, channel), 1.0))
            # Emails masked: the example shows how a request was worded, not who sent it.
            example = {
                "ts": now,
                "channel": channel,
                "intent": intent or "",
                "text": mask_emails(text),
            }
            pipe = self._redis.pipeline(transaction=False)
            pipe.lpush(keys.analytics_fallbacks(day), json.dumps(example, ensure_ascii=False))
            pipe.ltrim(keys.analytics_fallbacks(day), 0, FALLBACK_EXAMPLES_PER_DAY - 1)
            pipe.expire(keys.analytics_fallbacks(day), RETENTION_S)
            pipe.execute()
        if counts:
            self._add(day, counts)

    def answered(self, channel: str, misunderstood: int, now: float) -> None:
        """One customer message the assistant answered, and how many messages this turn showed
        it had misread (this one fell back, or the one before was corrected or handed over)."""
        counts = [(field(ANSWERED, channel), 1.0)]
        if misunderstood:
            counts.append((field(MISUNDERSTOOD, channel), float(misunderstood)))
        self._add(self.day(now), counts)

    def handoff(self, ticket: Ticket, conversation_id: str, cues: Iterable[str]) -> None:
        """A new ticket: its reason and cues on its day; its conversation as handed over on the
        day the conversation started (once, however often it is handed over)."""
        channel, now = ticket.channel, ticket.created_at
        day = self.day(now)
        counts = [(field(HANDOFFS, channel, ticket.reason), 1.0)]
        counts += [(field(CUE, channel, cue), 1.0) for cue in sorted(set(cues))]
        if ticket.after_hours:  # what the customer was told (actions/handoff.py)
            counts.append((field(HANDOFFS_AFTER_HOURS, channel), 1.0))
        self._add(day, counts)
        mark = keys.analytics_conversation(conversation_id)
        started = self._redis.hget(mark, "day") or day
        self._count_once(mark, "handed", "1", 0, started, {field(HANDED_OVER, channel): 1.0})

    def claim(self, ticket: Ticket, now: float) -> None:
        """The first claim of a ticket and how long the customer waited for it."""
        waited = max(0.0, now - ticket.created_at)
        self._count_once(
            keys.ticket(ticket.reference),
            "analytics_claimed",
            "1",
            0,
            self.day(ticket.created_at),
            {
                field(CLAIMED, ticket.channel): 1.0,
                field(CLAIM_SECONDS, ticket.channel): waited,
                field(CLAIM_BUCKET, ticket.channel, claim_bucket(waited)): 1.0,
            },
        )

    def reply(self, ticket: Ticket, now: float) -> None:
        """The first agent reply of a ticket and how long after the handoff it came."""
        self._count_once(
            keys.ticket(ticket.reference),
            "analytics_replied",
            "1",
            0,
            self.day(ticket.created_at),
            {
                field(REPLIED, ticket.channel): 1.0,
                field(REPLY_SECONDS, ticket.channel): max(0.0, now - ticket.created_at),
            },
        )

    def unclaimed_notice(self, ticket: Ticket) -> None:
        """The customer was told nobody had claimed their ticket yet."""
        self._add(self.day(ticket.created_at), [(field(UNCLAIMED_NOTICES, ticket.channel), 1.0)])

    def judgement(self, ticket: Ticket, needed: bool) -> None:
        """An agent's verdict on the handoff; a changed verdict moves its count."""
        self._judge(
            keys=[keys.ticket(ticket.reference), keys.analytics_day(self.day(ticket.created_at))],
            args=[
                "needed" if needed else "not_needed",
                field(JUDGED, ticket.channel, "") + ticket.reason + ":",
            ],
        )

    def csat(
        self, channel: str, score: float, satisfied: bool, trigger: str, agent: str, now: float
    ) -> None:
        """One satisfaction rating: by who resolved the conversation (`agent` empty: the
        assistant), what asked for it, and whether it is among the satisfied scores."""
        handled = PERSON_HANDLED if agent else ASSISTANT_RESOLVED
        detail = f"{handled}:{trigger}:{agent}"
        self._add(
            self.day(now),
            [
                (field(CSAT_RATINGS, channel, detail), 1.0),
                (field(CSAT_SCORE_SUM, channel, detail), float(score)),
                (field(CSAT_SATISFIED, channel, detail), 1.0 if satisfied else 0.0),
            ],
        )

    def csat_comment(self, record: dict[str, Any]) -> None:
        """A comment left after a rating (already masked), kept with the day's comments."""
        key = keys.csat_comments(self.day(float(record["ts"])))
        pipe = self._redis.pipeline(transaction=False)
        pipe.lpush(key, json.dumps(record, ensure_ascii=False))
        pipe.ltrim(key, 0, CSAT_COMMENTS_PER_DAY - 1)
        pipe.expire(key, RETENTION_S)
        pipe.execute()

    def outcome(self, channel: str, kind: str, now: float) -> None:
        """A routine request done end to end (one of OUTCOMES)."""
        self._add(self.day(now), [(field(OUTCOME, channel, kind), 1.0)])
