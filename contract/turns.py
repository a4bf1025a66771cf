"""The per-turn analysis series: one writer (the action server), one reader (tickets and desk).

`cs:turns:{conversation}` is a Redis list with one JSON object per analysed customer message:
`ts`, `text`, `intent`, `sentiment`, `frustration`, `smoothed`, `level`, `reasons`. It is a
history for people (the desk's sentiment curve, the handoff summary); the tracker's slots stay
the authority for the mood (see `contract.slots`). Emails in `text` are masked on the way in:
nothing here needs them, and the tracker keeps the message for the agent (sealed).
"""

from __future__ import annotations

import json
from typing import Any

import redis
import redis.asyncio as aioredis

from contract import keys
from contract.privacy import mask_emails

MAX_TURNS_KEPT = 1000
"""A longer conversation keeps only its latest turns (the desk shows a curve, not an archive)."""


async def append_turn(client: aioredis.Redis, conversation_id: str, record: dict[str, Any]) -> None:
    """Adds one analysed turn to the conversation's series (the action server's event loop)."""
    key = keys.turns(conversation_id)
    async with client.pipeline(transaction=False) as pipe:
        kept = {**record, "text": mask_emails(record["text"])} if "text" in record else record
        pipe.rpush(key, json.dumps(kept, ensure_ascii=False))
        pipe.ltrim(key, -MAX_TURNS_KEPT, -1)
        await pipe.execute()


def read_turns(client: redis.Redis, conversation_id: str) -> list[dict[str, Any]]:
    """The conversation's analysed turns, oldest first; entries that do not parse are left out."""
    series: list[dict[str, Any]] = []
    for text in client.lrange(keys.turns(conversation_id), 0, -1):
        try:
            item = json.loads(text)
        except ValueError:
            continue
        if isinstance(item, dict):
            series.append(item)
    return series
