"""What the web-chat channel does with the widget's email request and a follow-up link, on a
real Redis: nothing is stored without the customer's explicit yes or with a malformed address;
what is stored is sealed; a link opens its conversation, a changed one is refused."""

from __future__ import annotations

import redis
import redis.asyncio as aioredis

from addons.channels.follow_up_events import resumed, save_follow_up
from contract.follow_up import FollowUp, key
from contract.resume_links import Refusal, ResumeLinks
from harness.redis_server import RedisServer

CONVERSATION = "0123456789abcdef0123456789abcdef"


async def test_an_email_is_kept_only_with_a_yes_and_sealed(redis_server: RedisServer) -> None:
    client = aioredis.Redis(port=redis_server.port, decode_responses=True)
    plain = redis.Redis(port=redis_server.port, decode_responses=True)
    for data, error in (
        ({"email": "pat@example.org"}, "consent"),
        ({"email": "pat@example.org", "consent": "yes"}, "consent"),
        ({"email": "pat@example.org, eve@example.org", "consent": True}, "email"),
        ({"email": "not an address", "consent": True}, "email"),
    ):
        assert await save_follow_up(client, CONVERSATION, data) == {"ok": False, "error": error}
        assert plain.exists(key(CONVERSATION)) == 0
    saved = await save_follow_up(
        client, CONVERSATION, {"email": "pat@example.org", "consent": True}
    )
    assert saved == {"ok": True, "email": "pat@example.org"}
    stored = plain.hgetall(key(CONVERSATION))
    assert "pat@example.org" not in str(stored)  # sealed at rest
    assert FollowUp.from_hash(stored) is not None
    assert FollowUp.from_hash(stored).email == "pat@example.org"  # type: ignore[union-attr]
    assert plain.ttl(key(CONVERSATION)) > 0
    await client.close()


def test_a_session_request_with_a_link_opens_its_conversation_or_says_why_not() -> None:
    links = ResumeLinks("a-secret", 86400)
    token = links.token(CONVERSATION)
    assert resumed(links, {"session_id": None, "resume": token}) == CONVERSATION
    assert resumed(links, {"session_id": None, "resume": token[:-2]}) is Refusal.INVALID
    assert resumed(links, {"session_id": "x.y"}) is None  # an ordinary reconnection
    assert resumed(links, "not an object") is None
