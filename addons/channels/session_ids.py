"""Widget session ids the server issues and signs, so nobody can read a conversation by its id.

A widget conversation used to be whatever id the browser sent in `session_request`: anyone who
learnt or guessed an id (from a log line, the desk's URL, a shared screenshot) could open a
socket, ask for that id and read the conversation, email included. Now the server hands out
the id: `<conversation id>.<signature>`, the conversation id being 128 random bits (Rasa's
sender id, what logs and the desk show) and the signature an HMAC-SHA256 of it with
WIDGET_SESSION_SECRET. The widget keeps the whole signed value and sends it back; the channel
accepts a conversation only with its valid signature. Anything else (a forged or unsigned id,
someone's bare conversation id) gets a fresh conversation, never an error.

itsdangerous (already installed with Flask for the desk) does the signing and the
constant-time check; every Rasa server behind a balancer shares the secret
(settings/secret_file.py: the environment, else a generated 0600 file under VAR_DIR).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping

from itsdangerous import BadSignature, Signer

from settings.env import Env
from settings.secret_file import secret_or_file

SECRET_NAME = "WIDGET_SESSION_SECRET"
SEPARATOR = "."
# 32 hex digits, then the separator and 43 base64url characters of the HMAC-SHA256.
CONVERSATION_ID = re.compile(r"^[0-9a-f]{32}$")
MAX_SIGNED_LENGTH = 96


class SessionIds:
    """Issues signed widget session ids and tells which conversation a signed id opens."""

    def __init__(self, secret: str) -> None:
        """`secret`: WIDGET_SESSION_SECRET, the same on every Rasa server."""
        self._signer = Signer(
            secret, salt="widget-session", sep=SEPARATOR, digest_method=hashlib.sha256
        )

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> SessionIds:
        """WIDGET_SESSION_SECRET, or the file generated for it on first use."""
        return cls(secret_or_file(Env(environ), SECRET_NAME))

    def issue(self) -> str:
        """A new conversation's signed id, for `session_confirm`."""
        return self.signed(secrets.token_hex(16))

    def signed(self, conversation_id: str) -> str:
        """The signed id of a conversation the server already knows belongs to this browser
        (a valid follow-up link, contract/resume_links.py)."""
        return self._signer.sign(conversation_id).decode("ascii")

    def conversation(self, signed: object) -> str | None:
        """The conversation id a signed id opens; None for anything not issued here."""
        if not isinstance(signed, str) or len(signed) > MAX_SIGNED_LENGTH:
            return None
        try:
            conversation = self._signer.unsign(signed).decode("ascii")
        except (BadSignature, UnicodeError):
            return None
        return conversation if CONVERSATION_ID.match(conversation) else None
