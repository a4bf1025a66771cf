"""Signed, expiring links that bring an emailed customer back to their web-chat conversation.

The agent desk puts one in every follow-up email (agent_desk/follow_up_mail.py); the web-chat
channel (addons/channels/webchat.py) opens the conversation it names when the widget hands the
link's token over. Anyone holding the link can read that conversation, so it must not be made
up or changed (it is signed) and must not work for ever (it carries its signing time and is
refused after FOLLOW_UP_LINK_DAYS, 7 by default).

itsdangerous (installed with Flask, pinned in requirements.txt) does the signing, the
timestamp and the constant-time check. The key is WIDGET_SESSION_SECRET, the secret that
already signs the widget's session ids, with a salt of its own: a session id is never a valid
link token, nor the other way round.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Mapping
from enum import Enum

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from settings.env import Env
from settings.secret_file import secret_or_file

SECRET_NAME = "WIDGET_SESSION_SECRET"
DAYS_NAME = "FOLLOW_UP_LINK_DAYS"
DEFAULT_DAYS = 7
# The query parameter the widget reads the token from (web/static/widget/chat.js).
QUERY_PARAMETER = "cs_resume"
CONVERSATION_ID = re.compile(r"^[0-9a-f]{32}$")
MAX_TOKEN_LENGTH = 200


class Refusal(str, Enum):
    """Why a link does not open a conversation; the widget words each for the customer."""

    EXPIRED = "expired"
    INVALID = "invalid"


class ResumeLinks:
    """Makes link tokens for a conversation and tells which conversation a token opens."""

    def __init__(
        self, secret: str, max_age_s: float, clock: Callable[[], float] = time.time
    ) -> None:
        """`clock` is the signing and checking time (tests pass one in the past)."""

        class _Signer(TimestampSigner):
            def get_timestamp(self) -> int:
                return int(clock())

        self._serializer = URLSafeTimedSerializer(
            secret,
            salt="follow-up-link",
            signer=_Signer,
            signer_kwargs={"digest_method": hashlib.sha256},
        )
        self.max_age_s = max_age_s

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> ResumeLinks:
        """WIDGET_SESSION_SECRET (or its generated file) and FOLLOW_UP_LINK_DAYS."""
        env = Env(environ)
        days = env.number(DAYS_NAME, DEFAULT_DAYS, minimum=0.01)
        return cls(secret_or_file(env, SECRET_NAME), days * 86400)

    def token(self, conversation_id: str) -> str:
        """A URL-safe token that opens `conversation_id` until it expires."""
        return self._serializer.dumps(conversation_id)

    def conversation(self, token: object) -> str | Refusal:
        """The conversation a token opens, or why it opens none."""
        if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
            return Refusal.INVALID
        try:
            value = self._serializer.loads(token, max_age=int(self.max_age_s))
        except SignatureExpired:
            return Refusal.EXPIRED
        except (BadSignature, UnicodeError, ValueError):
            return Refusal.INVALID
        if not isinstance(value, str) or not CONVERSATION_ID.match(value):
            return Refusal.INVALID
        return value
