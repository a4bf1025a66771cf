"""Sign-in throttling: moving windows in Redis that slow guessing without letting a stranger
lock an agent out.

A probe found two holes in the earlier fixed 15-minute buckets: five wrong passwords for a user
name from anywhere locked its owner out until the bucket ended, and 5 guesses at the end of
one bucket plus 5 at the start of the next doubled the rate. Now every attempt is counted in a
moving window (config/desk.yml `login_window_minutes`) under up to two keys:
- the caller's address: at most `login_failures_per_address` failures, whatever the accounts;
- the account, split by where the attempt comes from: from an address the account signed in
  from successfully within `known_address_days`, the count is per account *and* address
  (`login_failures_per_known_address`), so nobody elsewhere can use it up; from any other
  address, one shared count per account (`login_failures_per_account`). A stranger who
  guesses alex's password therefore locks only unknown addresses out of alex's account, and
  alex signing in from the office or home as usual gets in at once.

An attempt is counted before the password is checked (one Lua script: drop what left the
window, refuse when full, else add), so a burst of parallel guesses cannot all slip through
while the password hashes are compared; a right password takes its own attempt back. The
window runs on the app's clock, so tests move time instead of waiting. Counts live in Redis so
every desk process behind a load balancer shares them.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass

import redis

from contract import keys

# KEYS[1] the window; ARGV now, window seconds, limit, member. Returns "0" when counted, else
# the seconds until the oldest attempt leaves the window.
_TAKE = """
local key = KEYS[1]
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) >= limit then
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  return tostring(tonumber(oldest[2]) + window - now)
end
redis.call('ZADD', key, now, ARGV[4])
redis.call('EXPIRE', key, math.ceil(window) + 1)
return '0'
"""


@dataclass(frozen=True)
class LoginLimits:
    """Failures per moving window (config/desk.yml)."""

    per_account: int
    per_address: int
    window_s: float
    per_known_address: int = 10
    known_address_s: float = 30 * 86400.0


@dataclass(frozen=True)
class Attempt:
    """A sign-in attempt counted in its windows: `wait_s` > 0 when it was refused."""

    wait_s: float
    taken: tuple[tuple[str, str], ...] = ()


class LoginThrottle:
    """Counts attempts; says when a sign-in must be refused and for how long."""

    def __init__(self, client: redis.Redis, limits: LoginLimits) -> None:
        """`client`: the desk's Redis."""
        self._redis = client
        self._limits = limits
        self._take = client.register_script(_TAKE)

    @staticmethod
    def _account(username: str) -> str:
        return username.casefold()[:200]

    def _windows(self, username: str, address: str, now: float) -> list[tuple[str, int]]:
        account = self._account(username)
        windows = [(keys.login_failures("address", address), self._limits.per_address)]
        if self.known_address(username, address, now):
            key = keys.login_failures("account-known", f"{account}|{address}")
            windows.append((key, self._limits.per_known_address))
        else:
            windows.append((keys.login_failures("account", account), self._limits.per_account))
        return windows

    def known_address(self, username: str, address: str, now: float) -> bool:
        """The account signed in successfully from `address` within `known_address_days`."""
        seen = self._redis.zscore(keys.login_known_addresses(self._account(username)), address)
        return seen is not None and float(seen) > now - self._limits.known_address_s

    def attempt(self, username: str, address: str, now: float) -> Attempt:
        """Counts one attempt in each of its windows, or refuses it (nothing counted)."""
        member = f"{now}:{secrets.token_hex(6)}"
        taken: list[tuple[str, str]] = []
        for key, limit in self._windows(username, address, now):
            wait = float(self._take(keys=[key], args=[now, self._limits.window_s, limit, member]))
            if wait > 0:
                self._give_back(taken)
                return Attempt(max(1.0, math.ceil(wait)))
            taken.append((key, member))
        return Attempt(0.0, tuple(taken))

    def succeeded(self, username: str, address: str, attempt: Attempt, now: float) -> None:
        """A right password: its attempt is taken back and the address becomes a known one."""
        self._give_back(attempt.taken)
        known = keys.login_known_addresses(self._account(username))
        pipe = self._redis.pipeline()
        pipe.zadd(known, {address: now})
        pipe.zremrangebyscore(known, "-inf", now - self._limits.known_address_s)
        pipe.expire(known, int(self._limits.known_address_s) + 1)
        pipe.execute()

    def _give_back(self, taken: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> None:
        if taken:
            pipe = self._redis.pipeline()
            for key, member in taken:
                pipe.zrem(key, member)
            pipe.execute()
