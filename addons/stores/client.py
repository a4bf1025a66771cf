"""The Redis client of both stores, from their endpoints.yml settings, by the project's one
factory (`settings.redis_target`), so trackers and locks follow a Sentinel failover as the
rest of the system does.

Rasa's RedisTrackerStore and RedisLockStore build a client from host and port only; the
stores here replace it with one made from the same settings plus two of their own:
`sentinels` (`host:port,host:port`) and `sentinel_master` (the primary's name). With
`sentinels` empty the client talks to host:port as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import redis

from settings.redis_target import connect, sentinel_url

SENTINEL_SETTINGS = ("sentinels", "sentinel_master")
# A long conversation's events can take a moment on a busy host; a lost server still fails
# within this, and the customer is told to send again.
STORE_TIMEOUT_S = 10.0


def store_url(settings: Mapping[str, Any]) -> str:
    """The target's URL: redis+sentinel:// when `sentinels` is set, else redis(s)://."""
    password = str(settings.get("password") or "")
    db = int(settings.get("db") or 0)
    sentinels = str(settings.get("sentinels") or "").strip()
    if sentinels:
        return sentinel_url(sentinels, str(settings.get("sentinel_master") or ""), password, db)
    scheme = "rediss" if settings.get("use_ssl") else "redis"
    auth = f":{quote(password, safe='')}@" if password else ""
    host = settings.get("host") or "localhost"
    return f"{scheme}://{auth}{host}:{int(settings.get('port') or 6379)}/{db}"


def store_client(settings: Mapping[str, Any], decode_responses: bool) -> redis.Redis:
    """A client for the store's settings (retrying across a restart or failover)."""
    return connect(
        store_url(settings), decode_responses=decode_responses, timeout_s=STORE_TIMEOUT_S
    )
