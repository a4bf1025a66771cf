"""Who is signed in to the desk, so a ticket is only passed to an agent who will see it.

Each agent's sessions are a sorted set of session ids scored by when they expire
(`contract.keys.agent_sessions`): sign-in adds one, sign-out removes it, and an expired one
stops counting by its score, so an agent whose browser was simply closed drops out when the
session would have ended. One small key per agent: no scan over every session.
"""

from __future__ import annotations

from collections.abc import Iterable

import redis

from agent_desk.accounts import Accounts, Agent
from contract import keys


class Presence:
    """Signed-in agents, kept in Redis so every desk process agrees."""

    def __init__(self, client: redis.Redis) -> None:
        """`client`: the desk's Redis."""
        self._redis = client

    def signed_in(self, username: str, session_id: str, now: float, lifetime_s: float) -> None:
        """Records a session of `username` signed in at `now`, valid for `lifetime_s`.

        Sessions all live as long, so the newest one ends last: the key expires with it.
        """
        key = keys.agent_sessions(username)
        pipe = self._redis.pipeline(transaction=False)
        pipe.zremrangebyscore(key, "-inf", now)
        pipe.zadd(key, {session_id: now + lifetime_s})
        pipe.expire(key, max(1, int(lifetime_s) + 1))
        pipe.execute()

    def signed_out(self, username: str, session_id: str) -> None:
        """The session ended (sign-out)."""
        self._redis.zrem(keys.agent_sessions(username), session_id)

    def who(self, usernames: Iterable[str], now: float) -> set[str]:
        """Those of `usernames` with at least one session valid at `now`."""
        names = list(usernames)
        pipe = self._redis.pipeline(transaction=False)
        for name in names:
            pipe.zcount(keys.agent_sessions(name), f"({now}", "+inf")
        return {name for name, count in zip(names, pipe.execute(), strict=True) if count}


def transfer_choices(accounts: Accounts, presence: Presence, me: Agent, now: float) -> list[Agent]:
    """The agents `me` may pass a conversation to: every other agent signed in at `now`."""
    others = [name for name in accounts.usernames() if name != me.username]
    online = presence.who(others, now)
    return [agent for name in others if name in online and (agent := accounts.get(name))]
