"""A web-chat customer's request to get the person's reply by email, as Redis keeps it.

A widget customer has no address the desk can reach once they close the page. When nobody
can answer at once (after hours, or a wait they do not want to sit through), the widget asks
for an email with an explicit yes (web/static/widget/follow-up.js); the web-chat channel
stores it here (addons/channels/webchat.py) and the desk emails every later reply there
(agent_desk/follow_up_mail.py). The email is personal data: it is sealed at rest
(contract/at_rest.py) and the entry expires after FOLLOW_UP_TTL_S.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar, Final

from contract import keys
from contract.at_rest import sealer

# A reply can come days later (a weekend), and the link in it works for a week.
FOLLOW_UP_TTL_S: Final = 30 * 24 * 3600
MAX_EMAIL_CHARS: Final = 254
# One address, no spaces or list separators: the whole value must be a plain address.
EMAIL: Final = re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$")


def valid_email(value: object) -> bool:
    """Whether `value` is one plain email address a reply can be sent to."""
    return isinstance(value, str) and len(value) <= MAX_EMAIL_CHARS and bool(EMAIL.match(value))


@dataclass(frozen=True)
class FollowUp:
    """Where the customer asked the replies to go, and when they agreed (epoch seconds)."""

    email: str
    agreed_at: float

    EMAIL_FIELD: ClassVar[str] = "email"

    def to_hash(self) -> dict[str, str]:
        """The Redis hash, the email sealed."""
        return {"email": sealer().seal(self.email), "agreed_at": repr(self.agreed_at)}

    @classmethod
    def from_hash(cls, stored: dict[str, str]) -> FollowUp | None:
        """The request, or None when there is none (or it is damaged)."""
        if not stored.get("email"):
            return None
        return cls(sealer().open(stored["email"]), float(stored.get("agreed_at") or 0.0))


def key(conversation_id: str) -> str:
    """Where a conversation's request is kept."""
    return keys.follow_up(conversation_id)
