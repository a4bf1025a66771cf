"""Who can answer a handed-over customer now: agents who said so at the desk and are active.

The timetable (config/desk.yml `staffed_hours`) is only a plan; a customer at 22:12 with two
agents at their desks should hear their place in the queue, and one at 10:00 with everybody away
should hear when a person will reply. An agent is available from sign-in (or pressing
"Available") until they press "Away", sign out, or do nothing at the desk for
`availability.idle_minutes`. One Redis hash, username -> last activity, read by the action
server (what the customer is told), the desk (the toggle, unclaimed notices) and analytics.
"""

from __future__ import annotations

import redis

from contract import keys

AVAILABLE = "available"
AWAY = "away"
IDLE = "idle"


class Availability:
    """Agents' available/away state in Redis; every method takes the moment explicitly."""

    def __init__(self, client: redis.Redis, idle_timeout_s: float) -> None:
        """`idle_timeout_s`: how long without activity an available agent still counts."""
        self._redis = client
        self.idle_timeout_s = idle_timeout_s

    def set_available(self, username: str, now: float) -> None:
        """The agent answers customers from now on."""
        self._redis.hset(keys.agents_available(), username, repr(now))

    def set_away(self, username: str) -> None:
        """The agent stepped away (or signed out)."""
        self._redis.hdel(keys.agents_available(), username)

    def _fresh(self, last: str | bytes | None, now: float) -> bool:
        return last is not None and now - float(last) < self.idle_timeout_s

    def touch(self, username: str, now: float) -> bool:
        """The agent did something at the desk: an available agent stays available. An agent
        already away (or idle past the timeout) stays away until they say otherwise."""
        if self._fresh(self._redis.hget(keys.agents_available(), username), now):
            self._redis.hset(keys.agents_available(), username, repr(now))
            return True
        return False

    def state(self, username: str, now: float) -> str:
        """AVAILABLE, AWAY (chose it) or IDLE (available, but inactive too long)."""
        last = self._redis.hget(keys.agents_available(), username)
        if last is None:
            return AWAY
        return AVAILABLE if self._fresh(last, now) else IDLE

    def available(self, now: float) -> list[str]:
        """Usernames of the agents available at `now`, sorted."""
        raw = self._redis.hgetall(keys.agents_available())
        return sorted(
            (name.decode() if isinstance(name, bytes) else str(name))
            for name, last in raw.items()
            if self._fresh(last, now)
        )
