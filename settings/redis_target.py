"""The one way every part of the system connects to Redis: a plain server, or Redis Sentinel.

A Redis target is one string, handed from the launcher to every process as REDIS_URL:
- `redis://[:password@]host:port/db` (or `rediss://`): one server;
- `redis+sentinel://[:password@]host:port,host:port/db/master`: the sentinels to ask where
  the primary named `master` is now (python-socketio's spelling of a Sentinel URL). The
  password is the data servers' (REDIS_PASSWORD); the sentinels are asked without one.
`Env.redis_url()` builds the second form from REDIS_SENTINELS, REDIS_SENTINEL_MASTER,
REDIS_PASSWORD and REDIS_DB.

Clients from here retry a command a few times on a lost connection. With Sentinel that is
also how a failover is survived: the next attempt asks the sentinels again, so it reaches the
newly promoted primary, and a demoted primary's READONLY answer counts as a lost connection
(redis-py's SentinelManagedConnection). While no primary is elected, commands fail: callers
tell the customer to send again (addons/channels/delivery.py), as with Redis down.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import redis
import redis.asyncio as aioredis
from redis.asyncio.retry import Retry as AsyncRetry
from redis.asyncio.sentinel import Sentinel as AsyncSentinel
from redis.backoff import ExponentialBackoff
from redis.retry import Retry
from redis.sentinel import Sentinel

SENTINEL_SCHEME = "redis+sentinel"
PLAIN_SCHEMES = ("redis", "rediss", "unix")
RETRIES = 4


class RedisTargetError(ValueError):
    """A Redis URL that names no usable target (the message says what is wrong)."""


@dataclass(frozen=True)
class SentinelTarget:
    """The sentinels, the primary's name, and what to say to the primary once found."""

    sentinels: tuple[tuple[str, int], ...]
    master: str
    password: str
    db: int


def sentinel_url(sentinels: str, master: str, password: str = "", db: int = 0) -> str:
    """The redis+sentinel:// URL for REDIS_SENTINELS (`host:port,host:port`) and the rest."""
    target = SentinelTarget(parse_sentinels(sentinels), master, password, db)
    auth = f":{quote(password, safe='')}@" if password else ""
    hosts = ",".join(f"{host}:{port}" for host, port in target.sentinels)
    if not master:
        raise RedisTargetError("REDIS_SENTINEL_MASTER (the primary's name) is not set")
    return f"{SENTINEL_SCHEME}://{auth}{hosts}/{db}/{quote(master, safe='')}"


def parse_sentinels(text: str) -> tuple[tuple[str, int], ...]:
    """`host:port,host:port` (spaces allowed) as pairs; at least one."""
    pairs = []
    for item in text.replace(" ", ",").split(","):
        if not item:
            continue
        host, _, port = item.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise RedisTargetError(f"a sentinel must be host:port, got {item!r}")
        pairs.append((host, int(port)))
    if not pairs:
        raise RedisTargetError("no sentinel given (host:port,host:port)")
    return tuple(pairs)


def parse_sentinel_url(url: str) -> SentinelTarget | None:
    """The Sentinel target of a redis+sentinel:// URL; None for a plain Redis URL."""
    parts = urlsplit(url)
    if parts.scheme != SENTINEL_SCHEME:
        if parts.scheme not in PLAIN_SCHEMES:
            raise RedisTargetError(
                f"a Redis URL starts with redis://, rediss:// or {SENTINEL_SCHEME}://, got {url!r}"
            )
        return None
    sentinels = parse_sentinels(parts.netloc.rpartition("@")[2])
    path = [unquote(p) for p in parts.path.split("/")[1:]]
    if len(path) != 2 or not path[0].isdigit() or not path[1]:
        raise RedisTargetError(f"a Sentinel URL ends in /<db>/<primary's name>, got {parts.path!r}")
    password = unquote(parts.password) if parts.password else ""
    return SentinelTarget(sentinels, path[1], password, int(path[0]))


def describe(url: str) -> str:
    """The URL without its password, for logs and start-up lines."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return url.replace(f":{parts.password}@", ":***@", 1)


def _options(timeout_s: float | None, decode_responses: bool) -> dict[str, Any]:
    return {
        "decode_responses": decode_responses,
        "socket_timeout": timeout_s,
        "socket_connect_timeout": timeout_s,
        "retry_on_error": [redis.ConnectionError, redis.TimeoutError],
        "health_check_interval": 30,
    }


def _client(
    url: str,
    options: dict[str, Any],
    redis_class: Any,
    sentinel_class: Any,
    timeout_s: float | None,
) -> Any:
    """A `redis_class` client for the target, through `sentinel_class` for a Sentinel URL:
    the blocking and the asyncio clients are built the same way from their own classes."""
    target = parse_sentinel_url(url)
    if target is None:
        return redis_class.from_url(url, **options)
    sentinel = sentinel_class(
        list(target.sentinels), socket_timeout=timeout_s, socket_connect_timeout=timeout_s
    )
    return sentinel.master_for(
        target.master,
        redis_class=redis_class,
        db=target.db,
        password=target.password or None,
        **options,
    )


def connect(url: str, decode_responses: bool = True, timeout_s: float | None = 2.0) -> redis.Redis:
    """A blocking client for the target; nothing connects until the first command
    (`timeout_s` None: reads wait, as a subscriber must).

    It retries a command a few times across a restart or a failover: without that, the first
    command on each pooled connection after Redis came back fails for a change that lost nothing.
    """
    options = _options(timeout_s, decode_responses)
    options["retry"] = Retry(ExponentialBackoff(cap=1.0, base=0.1), RETRIES)
    client: redis.Redis = _client(url, options, redis.Redis, Sentinel, timeout_s)
    return client


def connect_async(
    url: str, decode_responses: bool = False, timeout_s: float | None = 2.0
) -> aioredis.Redis:
    """An asyncio client for the target (its connections belong to the loop that uses them)."""
    options = _options(timeout_s, decode_responses)
    options["retry"] = AsyncRetry(ExponentialBackoff(cap=1.0, base=0.1), RETRIES)
    client: aioredis.Redis = _client(url, options, aioredis.Redis, AsyncSentinel, timeout_s)
    return client
