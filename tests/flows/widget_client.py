"""A customer in the web widget, as the socket.io channel sees it.

Speaks the same protocol subset as web/static/widget/widget.js (Engine.IO 4 / Socket.IO 5
over a WebSocket, through the `websockets` package Rasa installs): CONNECT with auth `token`,
then `session_request`, `user_uttered` and `bot_uttered` events. (python-socketio's own
client needs a newer aiohttp than Rasa 3.6 allows.)
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import jwt
import websockets

from tests.flows.conftest import WIDGET_KEY

FIRST_ANSWER_S = 90.0  # a loaded CI machine can be slow; this only bounds a broken run
QUIET_S = 2.0  # no more bot messages for this long: the assistant has finished answering


def shop_token(email: str, lifetime_s: int = 300, key: str = WIDGET_KEY, **extra: Any) -> str:
    """What the shop's backend mints for its signed-in customer (addons/channels/README.md)."""
    now = int(time.time())
    claims = {"email": email, "iat": now, "exp": now + lifetime_s, **extra}
    return jwt.encode(claims, key, algorithm="HS256")


class WidgetCustomer:
    """One widget conversation; `say` returns the assistant's answer texts, lower-cased."""

    def __init__(self, rasa_url: str, token: str | None) -> None:
        self._endpoint = rasa_url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
        self._token = token
        self._ws: Any = None
        self._replies: asyncio.Queue[str] = asyncio.Queue()
        self._reader: asyncio.Task | None = None
        self._confirmed: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        # The signed id the server issues (addons/channels/session_ids.py); set on entering.
        self.session_id = ""

    async def __aenter__(self) -> WidgetCustomer:
        self._ws = await websockets.connect(self._endpoint)
        opened = await self._ws.recv()
        assert opened.startswith("0"), opened  # Engine.IO open
        auth = json.dumps({"token": self._token}) if self._token else ""
        await self._ws.send("40" + auth)  # Socket.IO CONNECT
        connected = await self._ws.recv()
        assert connected.startswith("40"), connected
        self._reader = asyncio.create_task(self._read())
        await self._emit("session_request", {"session_id": None})
        self.session_id = await asyncio.wait_for(self._confirmed, FIRST_ANSWER_S)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._reader:
            self._reader.cancel()
        await self._ws.close()

    async def _emit(self, event: str, data: dict[str, Any]) -> None:
        await self._ws.send("42" + json.dumps([event, data]))

    async def _read(self) -> None:
        async for packet in self._ws:
            if packet == "2":  # Engine.IO ping
                await self._ws.send("3")
            elif packet.startswith("42"):
                event, *args = json.loads(packet[2:])
                if event == "session_confirm" and not self._confirmed.done():
                    self._confirmed.set_result(str(args[0]))
                elif event == "bot_uttered":
                    await self._replies.put(str((args[0] or {}).get("text") or ""))

    async def say(self, text: str, metadata: dict[str, Any] | None = None) -> str:
        """Sends one message and collects the answer until the assistant goes quiet."""
        payload: dict[str, Any] = {"message": text, "session_id": self.session_id}
        if metadata is not None:
            payload["metadata"] = metadata
        await self._emit("user_uttered", payload)
        texts = [await asyncio.wait_for(self._replies.get(), FIRST_ANSWER_S)]
        while True:
            try:
                texts.append(await asyncio.wait_for(self._replies.get(), QUIET_S))
            except asyncio.TimeoutError:
                return " ".join(texts).lower()
