"""The one place the action server reads its environment.

Everything tunable has a default that runs on one laptop; secrets have none. Values are read
when `load_settings()` is called (not at import) so tests can set the environment first.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Settings:
    """Connection settings of the action server."""

    shop_url: str
    shop_timeout_s: float
    shop_retries: int
    redis_url: str


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name, "")
    try:
        return float(raw) if raw else default
    except ValueError as exc:
        raise SystemExit(f"{name} must be a number, got {raw!r}") from exc


@lru_cache(maxsize=1)
def load_settings() -> Settings:
    """Read the settings once per process."""
    return Settings(
        shop_url=os.environ.get("SHOP_URL", "http://localhost:8071").rstrip("/"),
        shop_timeout_s=_float("SHOP_TIMEOUT", 2.0),
        shop_retries=int(_float("SHOP_RETRIES", 1)),
        redis_url=os.environ.get("REDIS_URL", "redis://localhost:6390/0"),
    )
