"""How long conversations are kept: RETENTION_DAYS (default 90), read when a part starts."""

from __future__ import annotations

from settings.env import Env

DEFAULT_RETENTION_DAYS = 90


def retention_days(env: Env) -> int:
    """RETENTION_DAYS: conversations idle longer than this many days are deleted."""
    return env.integer("RETENTION_DAYS", DEFAULT_RETENTION_DAYS, minimum=1)
