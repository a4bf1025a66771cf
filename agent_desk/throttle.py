"""Login throttling: failed sign-ins counted in Redis per account and per address.

Each failure adds one to two counters for the current window (config/desk.yml
`login_window_minutes`): one for the username tried, one for the caller's address. Once a
counter reaches its limit, sign-in for that account (or from that address) is refused without
checking the password until the window ends, so guessing costs a window per few tries, and
a lockout of one account does not lock its owner out from everywhere for long.

Why not Flask-Limiter: its `limits` package needs packaging>=21, and Rasa 3.6 pins
packaging<21 in the same venv; two Redis counters are all this needs. The counters live in
Redis so every desk process behind a load balancer sees the same failures, and the window is
taken from the app's clock so tests move time instead of waiting.
"""

from __future__ import annotations

from dataclasses import dataclass

import redis

from contract import keys


@dataclass(frozen=True)
class LoginLimits:
    """How many failures per window lock an account, and an address."""

    per_account: int
    per_address: int
    window_s: float


class LoginThrottle:
    """Counts failures; says when a sign-in must be refused and for how long."""

    def __init__(self, client: redis.Redis, limits: LoginLimits) -> None:
        """`client`: the desk's Redis."""
        self._redis = client
        self._limits = limits

    def _keys(self, username: str, address: str, now: float) -> tuple[str, str]:
        window = str(int(now // self._limits.window_s))
        return (
            keys.login_failures("account", username.casefold()[:200], window),
            keys.login_failures("address", address, window),
        )

    def locked_for(self, username: str, address: str, now: float) -> float:
        """Seconds until sign-in may be tried again (0 when it may be tried now)."""
        account_key, address_key = self._keys(username, address, now)
        account, by_address = self._redis.mget(account_key, address_key)
        if int(account or 0) < self._limits.per_account and (
            int(by_address or 0) < self._limits.per_address
        ):
            return 0.0
        return self._limits.window_s - now % self._limits.window_s

    def failed(self, username: str, address: str, now: float) -> None:
        """Counts one failed sign-in against the account and the address."""
        pipe = self._redis.pipeline()
        for key in self._keys(username, address, now):
            pipe.incr(key)
            pipe.expire(key, int(self._limits.window_s) + 1)
        pipe.execute()

    def succeeded(self, username: str, now: float) -> None:
        """A right password clears the account's count (the address keeps its count)."""
        self._redis.delete(self._keys(username, "", now)[0])
