"""The lock store's changes as Lua scripts: Redis runs each atomically, in one round trip.

A lock is stored as Rasa's TicketLock writes it (`{"conversation_id": ..., "tickets": [...]}`,
each ticket itself a JSON string `{"number": n, "expires": t}`), so Rasa's own code reads it.
Tickets a script keeps are copied as stored; a ticket has expired when the calling server's
clock (ARGV[2]) is past its `expires`, as in `rasa.core.lock.Ticket.has_expired`.
Every script gets KEYS[1] = the lock's key, ARGV[1] = the conversation id, ARGV[2] = now.
"""

from __future__ import annotations

import hashlib
from typing import Any

import redis

# Reads the lock (false when there is none) and the tickets that have not expired; writes a
# lock back in Rasa's format and returns what it wrote.
_COMMON = """
local function live(raw, now)
  local kept = {}
  if not raw then return nil, kept end
  local lock = cjson.decode(raw)
  for _, text in ipairs(lock.tickets) do
    local ticket = cjson.decode(text)
    if not (now > ticket.expires) then kept[#kept + 1] = {text = text, number = ticket.number} end
  end
  return lock.conversation_id, kept
end
local function store(conversation_id, kept)
  local texts = {}
  for i, ticket in ipairs(kept) do texts[i] = cjson.encode(ticket.text) end
  local raw = '{"conversation_id": ' .. cjson.encode(conversation_id)
    .. ', "tickets": [' .. table.concat(texts, ', ') .. ']}'
  redis.call('SET', KEYS[1], raw)
  return raw
end
local now = tonumber(ARGV[2])
local conversation_id, kept = live(redis.call('GET', KEYS[1]), now)
"""

# ARGV[3] = lifetime: a ticket numbered one past the last live one (0 when none), expiring
# `lifetime` seconds from now. Returns {number, the lock as stored}: the caller sees at once
# whether its ticket is the one being served.
_ISSUE = """
local number = 0
if #kept > 0 then number = kept[#kept].number + 1 end
local expires = string.format('%.17g', now + tonumber(ARGV[3]))
kept[#kept + 1] = {text = '{"number": ' .. number .. ', "expires": ' .. expires .. '}'}
return {number, store(conversation_id or ARGV[1], kept)}
"""

# Drops expired tickets (Rasa's update_lock) and returns the lock, false when there is none.
_EXPIRE = """
if not conversation_id then return false end
return store(conversation_id, kept)
"""

# ARGV[3] = ticket number, ARGV[4] = "1" to delete the lock when no ticket is left
# (Rasa's cleanup) or "0" to keep it (finish_serving).
_CLEANUP = """
if not conversation_id then return false end
local rest = {}
for _, ticket in ipairs(kept) do
  if ticket.number ~= tonumber(ARGV[3]) then rest[#rest + 1] = ticket end
end
if #rest == 0 and ARGV[4] == '1' then
  redis.call('DEL', KEYS[1])
  return false
end
return store(conversation_id, rest)
"""


class LockScript:
    """One script, run by its SHA1 (EVALSHA); a Redis that does not know it yet (restarted,
    or a replica just promoted) gets the source once (EVAL, which also caches it).

    Not redis-py's `register_script`: its fallback is SCRIPT LOAD then EVALSHA, one more round
    trip on the message that meets a fresh Redis, and its object is bound to one client."""

    def __init__(self, body: str) -> None:
        """Prefixes the reading and writing every script shares."""
        self.source = _COMMON + body
        self.sha = hashlib.sha1(self.source.encode()).hexdigest()

    def run(self, client: redis.Redis, key: str, *args: object) -> Any:
        """The script's reply for the lock at `key`."""
        try:
            return client.evalsha(self.sha, 1, key, *args)
        except redis.exceptions.NoScriptError:
            return client.eval(self.source, 1, key, *args)


ISSUE = LockScript(_ISSUE)
EXPIRE = LockScript(_EXPIRE)
CLEANUP = LockScript(_CLEANUP)
