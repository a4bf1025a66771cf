"""What the platform adapters share: a pooled session, a base URL check, and a record of writes.

Sessions retry only connections that could not be opened (nothing was sent), for every method;
each adapter decides itself which answers a read may repeat, and never repeats a write whose
answer was lost.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from settings.env import Env, SettingsError

T = TypeVar("T")

_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def connect_only_session(retries: int, headers: dict[str, str]) -> requests.Session:
    """A session whose adapter retries refused connections only, then hands errors back."""
    retry = Retry(
        total=retries,
        connect=retries,
        read=0,
        status=0,
        other=0,
        allowed_methods=None,
        backoff_factor=0.2,
        raise_on_status=False,
        respect_retry_after_header=False,
    )
    session = requests.Session()
    session.headers.update(headers)
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def platform_url(env: Env, name: str) -> str:
    """A required store URL without a trailing slash: https, or http on this machine (tests).

    Secrets travel in headers, so a plain-http store anywhere but loopback is refused at start.
    """
    raw = env.text(name).strip().rstrip("/")
    if not raw:
        raise SettingsError(f"{name} is not set: your store's address (README: Connect your shop)")
    parts = urlsplit(raw)
    if not parts.hostname or parts.scheme not in ("http", "https"):
        raise SettingsError(f"{name} must be a URL like https://shop.example, got {raw!r}")
    if parts.scheme == "http" and parts.hostname not in _LOOPBACK:
        raise SettingsError(f"{name} must use https (credentials are sent with every call)")
    return raw


class WriteRecord(Generic[T]):
    """Answers of this process's writes by idempotency key, kept for `ttl_s` seconds.

    Used where a platform has no idempotency mechanism for a write: the first answer for a key
    is kept and given again; writes with the same key are serialised, so a concurrent repeat
    waits for the first and gets its answer.
    """

    def __init__(self, ttl_s: float = 24 * 3600) -> None:
        self._ttl_s = ttl_s
        self._lock = threading.Lock()
        self._answers: dict[str, tuple[float, T]] = {}
        self._key_locks: dict[str, threading.Lock] = {}

    @contextmanager
    def claim(self, key: str) -> Iterator[None]:
        """Hold the key while the write for it runs."""
        with self._lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            yield

    def get(self, key: str) -> T | None:
        """The answer kept for `key`, if it is still fresh."""
        with self._lock:
            kept = self._answers.get(key)
            if kept is None or time.monotonic() - kept[0] > self._ttl_s:
                return None
            return kept[1]

    def once(self, key: str, write: Callable[[], T]) -> T:
        """The answer kept for `key`, else `write()`'s, kept: the one way to run a write."""
        with self.claim(key):
            kept = self.get(key)
            if kept is not None:
                return kept
            answer = write()
            self.put(key, answer)
            return answer

    def put(self, key: str, answer: T) -> None:
        """Keep the answer given for `key`; drops expired answers on the way."""
        now = time.monotonic()
        with self._lock:
            self._answers[key] = (now, answer)
            for old in [k for k, (t, _) in self._answers.items() if now - t > self._ttl_s]:
                self._answers.pop(old, None)
                self._key_locks.pop(old, None)
