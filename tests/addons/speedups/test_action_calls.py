"""Rasa's calls to an endpoint, on a kept session: same body, same errors, one connection."""

from __future__ import annotations

import json
import math
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

import addons.speedups  # noqa: F401 - installs the speed-ups as the Rasa server does

DOMAIN = {"responses": {"utter_greet": [{"text": "Hi! I'm the shop's assistant."}]}}


@pytest.fixture
async def endpoint() -> AsyncIterator[tuple[EndpointConfig, list[dict[str, Any]]]]:
    """A real HTTP server on a free port that records what it received, and an endpoint."""
    seen: list[dict[str, Any]] = []

    async def webhook(request: web.Request) -> web.StreamResponse:
        body = await request.read()
        seen.append(
            {
                "body": json.loads(body),
                "peer": request.transport.get_extra_info("peername"),
                "headers": dict(request.headers),
                "query": dict(request.query),
            }
        )
        if request.query.get("answer") == "fail":
            return web.Response(status=500, text="broken")
        if request.query.get("answer") == "text":
            return web.Response(text="not json")
        return web.json_response({"events": [], "responses": []})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    config = EndpointConfig(
        f"http://127.0.0.1:{port}/webhook", headers={"Authorization": "Bearer s3cret"}
    )
    yield config, seen
    await runner.cleanup()


async def test_the_action_server_gets_the_same_document(endpoint: Any) -> None:
    config, seen = endpoint
    call = {
        "next_action": "action_analyze_turn",
        "tracker": {"events": [{"text": "où est ma commande? \ud83d / 10001", "score": math.nan}]},
        "domain": DOMAIN,
    }
    for _ in range(2):
        assert await config.request(json=call) == {"events": [], "responses": []}
    received = seen[-1]["body"]
    assert received["domain"] == DOMAIN
    assert received["tracker"]["events"][0]["text"] == call["tracker"]["events"][0]["text"]
    assert math.isnan(received["tracker"]["events"][0]["score"])
    assert seen[-1]["headers"]["Authorization"] == "Bearer s3cret"
    assert seen[-1]["headers"]["Content-Type"] == "application/json"


async def test_calls_share_one_connection(endpoint: Any) -> None:
    config, seen = endpoint
    for _ in range(3):
        await config.request(json={"next_action": "action_listen"})
    assert len({hit["peer"] for hit in seen}) == 1


async def test_errors_and_non_json_answers_are_reported_as_rasa_did(endpoint: Any) -> None:
    config, seen = endpoint
    with pytest.raises(ClientResponseError) as error:
        await config.request(json={}, params={"answer": "fail"})
    assert error.value.status == 500
    assert await config.request(json={}, params={"answer": "text"}) is None
    assert seen[-1]["query"] == {"answer": "text"}
