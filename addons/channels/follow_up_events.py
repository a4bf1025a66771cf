"""The web-chat channel's part of the email follow-up: the widget's email request and the
signed link that brings the customer back (contract/follow_up.py, contract/resume_links.py).

Kept apart from webchat.py so the socket.io handlers there stay about the conversation; these
two only decide what a request or a link is worth.
"""

from __future__ import annotations

import time
from typing import Any

from redis import asyncio as aioredis

from contract.follow_up import FOLLOW_UP_TTL_S, FollowUp, key, valid_email
from contract.resume_links import Refusal, ResumeLinks

# socket.io events of the widget (web/static/widget/chat.js).
REQUEST_EVENT = "follow_up_request"
CONFIRM_EVENT = "follow_up_confirm"
REFUSED_LINK_EVENT = "resume_refused"


def resumed(links: ResumeLinks, data: Any) -> str | Refusal | None:
    """The conversation a session request's `resume` token opens, why it opens none, or None
    when the request carries no token (an ordinary reconnection)."""
    token = data.get("resume") if isinstance(data, dict) else None
    return None if token is None else links.conversation(token)


async def save_follow_up(
    redis: aioredis.Redis, conversation_id: str, data: dict[str, Any]
) -> dict[str, Any]:
    """Stores the customer's email for the reply, only with their explicit yes; returns the
    widget's answer (`ok`, and the address or what to fix)."""
    if data.get("consent") is not True:
        return {"ok": False, "error": "consent"}
    email = data.get("email")
    if not valid_email(email):
        return {"ok": False, "error": "email"}
    assert isinstance(email, str)  # valid_email checked it
    request = FollowUp(email.strip(), time.time())
    async with redis.pipeline(transaction=True) as pipe:
        pipe.hset(key(conversation_id), mapping=request.to_hash())
        pipe.expire(key(conversation_id), FOLLOW_UP_TTL_S)
        await pipe.execute()
    return {"ok": True, "email": request.email}
