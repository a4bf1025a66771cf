"""The widget's socket.io channel: conversations open only with the server's signed session id,
and browsers on other sites cannot open a socket at all (issue 12, finding 7).

A raw Engine.IO 4 / Socket.IO 5 client over a WebSocket (as web/static/widget/socket-link.js
speaks it) against the channel system's real Rasa server.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
import requests
import websockets
from websockets.exceptions import InvalidStatusCode

from contract.metadata import CLIENT_ADDRESS_KEY
from tests.channel_system import ChannelSystem

WAIT_S = 90.0  # bounds a broken run only


class RawWidget:
    """One socket: session_request, then what the server sends back, event by event."""

    def __init__(self, rasa_url: str, origin: str | None = None) -> None:
        self._endpoint = rasa_url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
        self._origin = origin
        self._ws: Any = None
        self.events: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        self._reader: asyncio.Task | None = None

    async def __aenter__(self) -> RawWidget:
        self._ws = await websockets.connect(self._endpoint, origin=self._origin)
        assert (await self._ws.recv()).startswith("0")  # Engine.IO open
        await self._ws.send("40")  # Socket.IO CONNECT
        assert (await self._ws.recv()).startswith("40")
        self._reader = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._reader:
            self._reader.cancel()
        await self._ws.close()

    async def _read(self) -> None:
        async for packet in self._ws:
            if packet == "2":
                await self._ws.send("3")
            elif packet.startswith("42"):
                name, *args = json.loads(packet[2:])
                await self.events.put((name, args[0] if args else None))

    async def emit(self, name: str, data: Any) -> None:
        await self._ws.send("42" + json.dumps([name, data]))

    async def next(self, name: str) -> Any:
        """The data of the next `name` event (others are skipped)."""
        while True:
            got, data = await asyncio.wait_for(self.events.get(), WAIT_S)
            if got == name:
                return data

    async def open_session(self, session_id: Any) -> tuple[str, dict[str, Any]]:
        """Asks for a session; the id the server confirms and the history it sends."""
        await self.emit("session_request", {"session_id": session_id})
        confirmed = await self.next("session_confirm")
        return confirmed, await self.next("session_history")

    async def say(self, session_id: str, text: str) -> str:
        await self.emit("user_uttered", {"message": text, "session_id": session_id})
        return str((await self.next("bot_uttered")).get("text") or "")


def texts(history: dict[str, Any]) -> list[str]:
    return [message["text"] for message in history["messages"]]


async def test_a_conversation_opens_only_with_its_signed_id(channel_system: ChannelSystem) -> None:
    rasa = channel_system.rasa_url
    async with RawWidget(rasa) as customer:
        signed, history = await customer.open_session(None)
        assert history["messages"] == []
        answer = await customer.say(signed, "where is order 10003?")
        assert "delayed" in answer.lower()
    conversation = signed.split(".")[0]
    assert signed != conversation  # the id carries a signature

    forged = [conversation, f"{conversation}.{'A' * 43}", signed[:-2] + "xx", "x" * 40]
    for stolen in forged:
        async with RawWidget(rasa) as attacker:
            issued, history = await attacker.open_session(stolen)
            assert history["messages"] == [], stolen
            assert issued.split(".")[0] != conversation
            # A message under the bare conversation id is ignored, never added to it.
            await attacker.emit(
                "user_uttered", {"message": "cancel order 10003", "session_id": stolen}
            )

    async with RawWidget(rasa) as customer_again:
        same, history = await customer_again.open_session(signed)
        assert same == signed
        assert "where is order 10003?" in texts(history)
        assert "cancel order 10003" not in texts(history)
    events = channel_system.desk.tracker(conversation)["events"]
    said = [e["text"] for e in events if e["event"] == "user"]
    assert said == ["where is order 10003?"]
    # The channel stamps the connection's address; a browser cannot choose it.
    assert [e["metadata"][CLIENT_ADDRESS_KEY] for e in events if e["event"] == "user"] == [
        "127.0.0.1"
    ]


async def test_a_message_the_widget_sends_again_is_handled_once(
    channel_system: ChannelSystem,
) -> None:
    """Finding 5: the widget gives each message an id and keeps it when it sends the message
    again after a reconnection; the conversation holds it once, whichever server gets it."""
    async with RawWidget(channel_system.rasa_url) as customer:
        signed, _ = await customer.open_session(None)
        question = {"message": "where is order 10003?", "session_id": signed, "message_id": "w1"}
        await customer.emit("user_uttered", question)
        await customer.next("bot_uttered")
    async with RawWidget(channel_system.rasa_url) as reconnected:
        await reconnected.open_session(signed)
        await reconnected.emit("user_uttered", question)
        await reconnected.emit(
            "user_uttered", {**question, "message": "thanks", "message_id": "w2"}
        )
        await reconnected.next("bot_uttered")
    conversation = signed.split(".")[0]

    def said() -> list[str]:
        events = channel_system.desk.tracker(conversation)["events"]
        return [e["text"] for e in events if e["event"] == "user"]

    # Rasa saves the conversation after it sends the answer: wait for "thanks" to be stored.
    deadline = asyncio.get_running_loop().time() + WAIT_S
    while "thanks" not in said() and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.2)
    assert said() == [question["message"], "thanks"]


@pytest.mark.parametrize("origin", ["http://evil.example", "http://localhost:1"])
async def test_a_browser_on_another_site_cannot_open_a_websocket(
    channel_system: ChannelSystem, origin: str
) -> None:
    with pytest.raises(InvalidStatusCode) as refused:
        async with RawWidget(channel_system.rasa_url, origin=origin):
            pass
    assert refused.value.status_code == 400


async def test_the_shops_origins_and_the_demo_page_may_open_a_websocket(
    channel_system: ChannelSystem,
) -> None:
    for origin in (channel_system.other_origin, channel_system.web_url):
        async with RawWidget(channel_system.rasa_url, origin=origin) as widget:
            signed, _ = await widget.open_session(None)
            assert "." in signed, origin


def test_rest_messages_carry_the_address_the_channel_saw(channel_system: ChannelSystem) -> None:
    sender = "rest-address-check"
    answer = requests.post(
        f"{channel_system.rasa_url}/webhooks/rest/webhook",
        json={
            "sender": sender,
            "message": "hello",
            "metadata": {CLIENT_ADDRESS_KEY: "203.0.113.9"},
        },
        timeout=60,
    )
    assert answer.status_code == 200
    events = channel_system.desk.tracker(sender)["events"]
    assert [e["metadata"][CLIENT_ADDRESS_KEY] for e in events if e["event"] == "user"] == [
        "127.0.0.1"
    ]
