"""The signed-in shop customer behind a widget connection, from a token the shop signed.

The shop's page mints a short-lived JWT for its signed-in customer and puts it on the widget's
script tag (`data-token`); the widget sends it in the socket.io CONNECT packet (auth `token`).
The web-chat channel checks it here and, when it holds, every message of that connection
carries the customer (`contract.metadata.VERIFIED_CUSTOMER_KEY`), so the assistant knows who
they are without asking. Key and algorithm come from the environment (WIDGET_JWT_KEY,
WIDGET_JWT_ALGORITHM); a token must carry `email`, `iat` and `exp`, and may live at most
WIDGET_JWT_MAX_AGE seconds, so a leaked page cannot be replayed for long.

A missing, expired or forged token is not an error for the customer: the connection is
simply anonymous, and the assistant asks for the email on the order when it needs it.
PyJWT does the checking (signature, algorithm allow-list, expiry): the library Rasa itself
uses for its socket.io and API tokens.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jwt

from settings.env import Env

logger = logging.getLogger(__name__)

ALGORITHMS = ("HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "EdDSA")
REQUIRED_CLAIMS = ("email", "iat", "exp")
LEEWAY_S = 30  # clocks of the shop and the assistant may differ a little


@dataclass(frozen=True)
class WidgetTokens:
    """Checks widget tokens with one key and one algorithm."""

    key: str
    algorithm: str
    max_age_s: int

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> WidgetTokens | None:
        """None when WIDGET_JWT_KEY is unset: every widget connection is then anonymous."""
        env = Env(environ)
        key = env.text("WIDGET_JWT_KEY")
        if not key:
            return None
        algorithm = env.choice("WIDGET_JWT_ALGORITHM", "HS256", ALGORITHMS)
        return cls(key, algorithm, env.integer("WIDGET_JWT_MAX_AGE", 900, minimum=1))

    def customer(self, token: Any) -> dict[str, str] | None:
        """{"email": ...} of a valid token, else None (logged, never raised)."""
        if not isinstance(token, str) or not token:
            return None
        try:
            claims = jwt.decode(
                token,
                self.key,
                algorithms=[self.algorithm],
                options={"require": list(REQUIRED_CLAIMS)},
                leeway=LEEWAY_S,
            )
        except jwt.PyJWTError as error:
            logger.info("widget token refused (%s): the connection stays anonymous", error)
            return None
        email = claims.get("email")
        lifetime = float(claims["exp"]) - float(claims["iat"])
        if not isinstance(email, str) or "@" not in email or lifetime > self.max_age_s:
            logger.info("widget token refused (no email, or lives over %ss)", self.max_age_s)
            return None
        return {"email": email.strip().lower()}
