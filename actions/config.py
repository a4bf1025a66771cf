"""The action server's Redis connection, read once through the settings kit.

Read when `load_settings()` is first called (not at import) so tests can set the environment
first. The shop client reads its own variables (`ShopClient.from_environment`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from settings.env import Env


@dataclass(frozen=True)
class Settings:
    """Connection settings of the action server."""

    redis_url: str


@lru_cache(maxsize=1)
def load_settings() -> Settings:
    """Read the settings once per process."""
    return Settings(redis_url=Env().redis_url())
