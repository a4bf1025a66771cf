"""A handoff ticket and how it is written to a Redis hash.

A ticket is a snapshot taken when the assistant hands over (who, why, summary, transcript,
sentiment series) plus the desk's state (who holds it, how it ended, the agent's judgement).
The live transcript stays in Rasa's tracker; the snapshot is what an agent still has when
the Rasa server is down.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from typing import Any

from contract.at_rest import sealer

WAITING = "waiting"
CLAIMED = "claimed"
CLOSED = "closed"
# A ticket's history (tickets/store.py) also records passing it to another agent.
TRANSFERRED = "transferred"

# How a closed ticket ended.
HANDED_BACK = "handed_back"
RESOLVED = "closed"
# The helpdesk (Chatwoot) could not take the conversation: closed at once, the customer told so.
UNDELIVERED = "undelivered"

REASON_LABELS: dict[str, str] = {
    "customer_request": "Customer asked for a person",
    "frustration": "Customer is frustrated",
    "repeated_contact": "Customer had to come back",
    "repeated_failure": "Assistant kept failing",
}

_JSON_FIELDS = ("customer", "summary", "transcript", "sentiment")
_BOOL_FIELDS = ("after_hours",)
_FLOAT_FIELDS = (
    "created_at",
    "frustration",
    "claimed_at",
    "closed_at",
    "notified_at",
    "judged_at",
    "transferred_at",
)


@dataclass
class Ticket:
    """One handoff. `reference` is empty until the store has saved it."""

    conversation_id: str
    channel: str
    reason: str
    created_at: float
    customer: dict[str, str]
    summary: list[str]
    transcript: list[dict[str, Any]]
    sentiment: list[dict[str, Any]]
    frustration: float
    level: str
    reference: str = ""
    status: str = WAITING
    holder: str = ""
    holder_name: str = ""
    claimed_at: float | None = None
    closed_at: float | None = None
    outcome: str = ""
    notified_at: float | None = None
    judgement: str = ""
    judged_by: str = ""
    judged_at: float | None = None
    # The last hand-over from one agent to another (agent_desk: transfer).
    transferred_from: str = ""
    transfer_note: str = ""
    transferred_at: float | None = None
    # Opened with no agent available (tickets/availability.py): the customer was told when a
    # person will reply, not a queue place; analytics count it as after hours.
    after_hours: bool = False
    # HANDOFF_TARGET=chatwoot: the Chatwoot conversation (its display id) holding this handoff.
    chatwoot_conversation_id: str = ""

    @property
    def held_since(self) -> float | None:
        """When the holder got the conversation: their claim, or the transfer to them."""
        if self.transferred_at and (not self.claimed_at or self.transferred_at >= self.claimed_at):
            return self.transferred_at
        return self.claimed_at

    @property
    def reason_label(self) -> str:
        """The reason as agents read it."""
        return REASON_LABELS.get(self.reason, self.reason)

    def to_hash(self) -> dict[str, str]:
        """Flat string fields for HSET; None becomes "" and lists become JSON."""
        out: dict[str, str] = {}
        for name, value in asdict(self).items():
            if name in _JSON_FIELDS:  # personal data: sealed at rest (contract/at_rest.py)
                out[name] = sealer().seal(json.dumps(value, ensure_ascii=False))
            elif value is None:
                out[name] = ""
            else:
                out[name] = str(value)
        return out

    @classmethod
    def from_hash(cls, raw: dict[str, str]) -> Ticket:
        """The inverse of to_hash; unknown fields (from a newer version) are ignored."""
        values: dict[str, Any] = {}
        for item in fields(cls):
            if item.name not in raw:
                continue
            text = raw[item.name]
            if item.name in _JSON_FIELDS:
                values[item.name] = json.loads(sealer().open(text)) if text else []
            elif item.name in _FLOAT_FIELDS:
                values[item.name] = float(text) if text else None
            elif item.name in _BOOL_FIELDS:
                values[item.name] = text == "True"
            else:
                values[item.name] = text
        return cls(**values)


@dataclass(frozen=True)
class Judgement:
    """An agent's verdict on whether a handoff was needed; the report sums these per reason."""

    reference: str
    reason: str
    needed: bool
    agent: str
    at: float

    def to_json(self) -> str:
        """As stored in the judgements hash."""
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Judgement:
        """The inverse of to_json."""
        return cls(**json.loads(text))


@dataclass(frozen=True)
class ClaimResult:
    """What a claim attempt found: `ok`, or who else holds the ticket, or that it is closed."""

    ok: bool
    status: str
    holder: str = ""
    holder_name: str = ""
    claimed_at: float | None = None
