"""Messages the assistant misread, kept for staff to review: the learning loop's store.

The action server keeps a customer message here (actions/review_capture.py) when it fell back,
when the customer had to pick what they meant from buttons, when the customer's next message
said the answer did not help, or when a handoff followed it. Staff give each one the right
intent, or "out of scope", or dismiss it, on the desk's Review page
(agent_desk/review_views.py); `python -m agent_desk.review_export` writes the reviewed ones
as training data.

Nothing personal is stored: the text is masked before it reaches Redis (`mask_for_review`),
and no sender id is kept. One item per distinct text (case and spacing ignored), so the same
misreading from many customers is one row with a count, not a hundred rows to click through.

  cs:review:item:{id}  HASH  text, predicted, confidence, reasons, picked, channel, ts, seen,
                             status (pending | labelled | dismissed), label, reviewed_by, ...
  cs:review:pending    ZSET  ids waiting for a review, by when last seen
  cs:review:reviewed   ZSET  ids reviewed, by when

Blocking (redis-py): the action server calls it through asyncio.to_thread.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from itertools import groupby

import redis

from contract import keys
from contract.privacy import EMAIL, PHONE, POSTCODE, STREET, mask_cards

# Why a message was kept (an item gathers every reason it was kept for).
FALLBACK = "fallback"
DISAMBIGUATED = "disambiguated"
CORRECTED = "corrected"
HANDOFF = "handoff"
REASONS = (FALLBACK, DISAMBIGUATED, CORRECTED, HANDOFF)

PENDING = "pending"
LABELLED = "labelled"
DISMISSED = "dismissed"

MAX_TEXT_CHARS = 300
MAX_PENDING = 2000
"""Pending items beyond this are dropped, oldest first: a backlog nobody reads helps nobody."""

# Stand-ins of the same kind as what they replace: the exported text stays a realistic
# training example (the tokenizer reads an email address by its kind, addons/tokenizer.py)
# and never holds the customer's own data. 020 7946 0xxx is reserved for drama by Ofcom.
STAND_IN_EMAIL = "name@example.com"
STAND_IN_PHONE = "020 7946 0000"
STAND_IN_STREET = "1 High Street"
STAND_IN_POSTCODE = "AB1 2CD"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_SPACES = re.compile(r"\s+")


def mask_for_review(text: str) -> str:
    """`text` on one line with card numbers masked and emails, phone numbers, street
    addresses and postcodes replaced by fixed stand-ins (contract/privacy.py's patterns).

    Masking its own output changes nothing, so the export can mask again as a safeguard.
    """
    text = _SPACES.sub(" ", _CONTROL.sub(" ", text)).strip()[:MAX_TEXT_CHARS]
    text = mask_cards(text)
    text = EMAIL.sub(STAND_IN_EMAIL, text)
    text = STREET.sub(STAND_IN_STREET, text)
    text = POSTCODE.sub(STAND_IN_POSTCODE, text)
    return PHONE.sub(STAND_IN_PHONE, text)


def normalized(text: str) -> str:
    """What makes two messages the same example: case and spacing ignored."""
    return _SPACES.sub(" ", text).strip().casefold()


def item_id(masked_text: str) -> str:
    """The item a (masked) text belongs to."""
    return hashlib.sha256(normalized(masked_text).encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True)
class Sighting:
    """One customer message to keep: what was said and what the assistant made of it.

    `message` identifies this message (conversation and time), so the same message kept again
    for another reason (a fallback, then corrected) is not counted twice.
    """

    text: str
    predicted: str
    confidence: float
    reason: str
    channel: str
    ts: float
    message: str
    picked: str = ""


@dataclass(frozen=True)
class ReviewItem:
    """A kept message as the Review page shows it."""

    id: str
    text: str
    predicted: str
    confidence: float
    reasons: tuple[str, ...]
    picked: str
    channel: str
    ts: float
    seen: int
    status: str
    label: str = ""
    reviewed_by: str = ""
    reviewed_at: float = 0.0

    @classmethod
    def from_hash(cls, raw: dict[str, str]) -> ReviewItem:
        """From its Redis hash."""
        return cls(
            id=raw["id"],
            text=raw.get("text", ""),
            predicted=raw.get("predicted", ""),
            confidence=float(raw.get("confidence") or 0.0),
            reasons=tuple(r for r in raw.get("reasons", "").split(",") if r),
            picked=raw.get("picked", ""),
            channel=raw.get("channel", ""),
            ts=float(raw.get("ts") or 0.0),
            seen=int(raw.get("seen") or 1),
            status=raw.get("status", PENDING),
            label=raw.get("label", ""),
            reviewed_by=raw.get("reviewed_by", ""),
            reviewed_at=float(raw.get("reviewed_at") or 0.0),
        )


@dataclass(frozen=True)
class Group:
    """Pending items the assistant read as the same intent, most often seen first."""

    predicted: str
    items: list[ReviewItem] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many customer messages the group stands for (an item counts each sighting)."""
        return sum(item.seen for item in self.items)


# KEYS: item hash, pending zset.
# ARGV: id, text, predicted, confidence, channel, ts, reason, picked, message, max pending,
#       item key prefix.
# Returns 1 when this message is new to the item (counted as a misunderstanding), else 0.
_KEEP = """
local fresh = redis.call('EXISTS', KEYS[1]) == 0
if fresh then
  redis.call('HSET', KEYS[1], 'id', ARGV[1], 'text', ARGV[2], 'status', 'pending',
             'reasons', ARGV[7], 'seen', 0, 'first_ts', ARGV[6])
end
local new_message = redis.call('HGET', KEYS[1], 'message') ~= ARGV[9]
if new_message then
  redis.call('HINCRBY', KEYS[1], 'seen', 1)
  redis.call('HSET', KEYS[1], 'message', ARGV[9], 'ts', ARGV[6], 'channel', ARGV[5],
             'predicted', ARGV[3], 'confidence', ARGV[4])
end
local reasons = redis.call('HGET', KEYS[1], 'reasons')
if not string.find(',' .. reasons .. ',', ',' .. ARGV[7] .. ',', 1, true) then
  redis.call('HSET', KEYS[1], 'reasons', reasons .. ',' .. ARGV[7])
end
if ARGV[8] ~= '' then redis.call('HSET', KEYS[1], 'picked', ARGV[8]) end
if redis.call('HGET', KEYS[1], 'status') == 'pending' then
  redis.call('ZADD', KEYS[2], ARGV[6], ARGV[1])
  local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[10])
  if over > 0 then
    for _, old in ipairs(redis.call('ZRANGE', KEYS[2], 0, over - 1)) do
      redis.call('DEL', ARGV[11] .. old)
    end
    redis.call('ZREMRANGEBYRANK', KEYS[2], 0, over - 1)
  end
end
if new_message then return 1 end
return 0
"""

# KEYS: item hash, pending zset, reviewed zset.  ARGV: id, status, label, by, at.
_REVIEW = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'label', ARGV[3], 'reviewed_by', ARGV[4],
           'reviewed_at', ARGV[5])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[1])
return 1
"""

# KEYS: item hash, pending zset, reviewed zset.  ARGV: id.
_REOPEN = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'status', 'pending', 'label', '', 'reviewed_by', '',
           'reviewed_at', '')
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZADD', KEYS[2], redis.call('HGET', KEYS[1], 'ts'), ARGV[1])
return 1
"""


class ReviewStore:
    """The review items in Redis; every method is one or two round trips."""

    def __init__(self, client: redis.Redis, max_pending: int = MAX_PENDING) -> None:
        """`client` decodes responses (tickets.store.connect)."""
        self._redis = client
        self._max_pending = max_pending
        self._keep = client.register_script(_KEEP)
        self._review = client.register_script(_REVIEW)
        self._reopen = client.register_script(_REOPEN)

    def keep(self, sighting: Sighting) -> bool:
        """Keeps a message (masked here); True when this message is a new misunderstanding,
        False when it was kept before (another reason for the same message) or has no words."""
        if sighting.reason not in REASONS:
            raise ValueError(f"unknown reason {sighting.reason!r}")
        text = mask_for_review(sighting.text)
        if not any(char.isalpha() for char in text):
            return False
        ident = item_id(text)
        return bool(
            self._keep(
                keys=[keys.review_item(ident), keys.REVIEW_PENDING],
                args=[
                    ident,
                    text,
                    sighting.predicted,
                    round(sighting.confidence, 4),
                    sighting.channel,
                    sighting.ts,
                    sighting.reason,
                    sighting.picked,
                    sighting.message,
                    self._max_pending,
                    keys.review_item(""),
                ],
            )
        )

    def _items(self, ids: list[str]) -> list[ReviewItem]:
        pipe = self._redis.pipeline(transaction=False)
        for ident in ids:
            pipe.hgetall(keys.review_item(ident))
        return [ReviewItem.from_hash(raw) for raw in pipe.execute() if raw]

    def get(self, ident: str) -> ReviewItem | None:
        """One item, or None."""
        raw = self._redis.hgetall(keys.review_item(ident))
        return ReviewItem.from_hash(raw) if raw else None

    def pending(self, limit: int = 500) -> list[ReviewItem]:
        """Items waiting for a review, latest first."""
        return self._items(self._redis.zrevrange(keys.REVIEW_PENDING, 0, limit - 1))

    def pending_count(self) -> int:
        """How many items wait for a review."""
        return int(self._redis.zcard(keys.REVIEW_PENDING))

    def groups(self, limit: int = 500) -> list[Group]:
        """Pending items by the intent the assistant predicted, the biggest group first."""
        items = sorted(self.pending(limit), key=lambda i: (i.predicted, -i.seen, -i.ts))
        groups = [Group(p, list(g)) for p, g in groupby(items, key=lambda i: i.predicted)]
        return sorted(groups, key=lambda g: (-g.count, g.predicted))

    def reviewed(self, limit: int | None = None) -> list[ReviewItem]:
        """Reviewed items (given an intent or dismissed), latest review first."""
        end = -1 if limit is None else limit - 1
        return self._items(self._redis.zrevrange(keys.REVIEW_REVIEWED, 0, end))

    def labelled(self) -> list[ReviewItem]:
        """Every item given an intent (the training data), oldest review first."""
        return [i for i in reversed(self.reviewed()) if i.status == LABELLED and i.label]

    def label(self, ident: str, intent: str, by: str, now: float) -> bool:
        """Gives the item its right intent; False when there is no such item."""
        return self._set(ident, LABELLED, intent, by, now)

    def dismiss(self, ident: str, by: str, now: float) -> bool:
        """Not training data (nonsense, a test, personal data the masking missed)."""
        return self._set(ident, DISMISSED, "", by, now)

    def _set(self, ident: str, status: str, label: str, by: str, now: float) -> bool:
        return bool(
            self._review(
                keys=[keys.review_item(ident), keys.REVIEW_PENDING, keys.REVIEW_REVIEWED],
                args=[ident, status, label, by, now],
            )
        )

    def reopen(self, ident: str) -> bool:
        """Back to pending (a review made by mistake)."""
        return bool(
            self._reopen(
                keys=[keys.review_item(ident), keys.REVIEW_PENDING, keys.REVIEW_REVIEWED],
                args=[ident],
            )
        )
