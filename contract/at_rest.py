"""Personal data at rest: sealed (encrypted) with a key from the environment, or pseudonymised.

Proving an order needs the email exactly as the customer typed it, and an agent needs it to
check the order before acting, so emails cannot simply be masked like phone numbers
(contract/privacy.py). What Redis holds, and therefore its append-only file and snapshots,
is sealed instead: each tracker event (addons/stores/tracker_store.py) and the ticket fields
with personal data (tickets/model.py) are encrypted with Fernet (AES-128-CBC with an
HMAC-SHA256 tag, from the `cryptography` package: see the README's "Personal data at rest").
Every part that reads them back (Rasa, the action server, the desk) opens them with the same
key. Contact histories are filed under a keyed pseudonym of the email (`pseudonym`), so a
key name never shows it either.

The key is DATA_AT_REST_KEY, or the file generated for it under VAR_DIR/secrets on first
use (settings/secret_file.py). Losing it makes what was sealed unreadable; a value stored
before sealing was switched on (plain JSON) still reads.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken

from settings.env import Env
from settings.secret_file import secret_or_file

SECRET_NAME = "DATA_AT_REST_KEY"
# How every Fernet token starts (its version byte, 0x80, in URL-safe base64), and no JSON does.
TOKEN_START = "gAAAAA"


class SealError(ValueError):
    """A sealed value that this key cannot open (another key, or damaged)."""


class Sealer:
    """Seals and opens text with one key (any secret string; a Fernet key is derived)."""

    def __init__(self, secret: str) -> None:
        """`secret`: DATA_AT_REST_KEY, the same for every part."""
        digest = hashlib.sha256(b"cs-at-rest|" + secret.encode()).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(digest))
        self._pseudonym_key = hashlib.sha256(b"cs-pseudonym|" + secret.encode()).digest()

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Sealer:
        """DATA_AT_REST_KEY, or the file generated for it on first use."""
        return cls(secret_or_file(Env(environ), SECRET_NAME))

    def seal(self, text: str) -> str:
        """`text` encrypted and authenticated (a Fernet token, URL-safe ASCII)."""
        return self._fernet.encrypt(text.encode()).decode("ascii")

    def open(self, stored: str) -> str:
        """The text `seal` was given; a value stored before sealing (plain JSON) as it is."""
        if not stored.startswith(TOKEN_START):
            return stored
        try:
            return self._fernet.decrypt(stored.encode("ascii")).decode()
        except (InvalidToken, UnicodeError) as error:
            raise SealError("a sealed value could not be opened with DATA_AT_REST_KEY") from error

    def pseudonym(self, value: str) -> str:
        """A stable stand-in for `value` (an email) in key names: nobody without the key can
        tell which email it stands for, or test a guess."""
        normal = value.strip().lower().encode()
        return hmac.new(self._pseudonym_key, normal, hashlib.sha256).hexdigest()[:32]


@lru_cache(maxsize=1)
def sealer() -> Sealer:
    """The process's sealer, read from the environment on first use (never at import)."""
    return Sealer.from_environment()
