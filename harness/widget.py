"""The web widget's socket.io connection for tests that have no browser: Engine.IO 4 over one
WebSocket, as web/ speaks it, with the packets spelled out (tests/scale shows each step).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from launcher.balancer import SERVED_BY_HEADER


class Widget:
    """One widget session; `host` is the instance holding the socket when a balancer names it."""

    def __init__(self, socket: Any) -> None:
        """`socket`: an open websockets connection."""
        self.socket = socket
        self.host = socket.response_headers.get(SERVED_BY_HEADER, "")
        self.session_id = ""

    async def packet(self) -> str:
        """The next socket.io packet (Engine.IO pings answered on the way)."""
        while True:
            packet = str(await asyncio.wait_for(self.socket.recv(), 90))
            if packet == "2":
                await self.socket.send("3")
                continue
            return packet

    async def open(self, session_id: str | None = None) -> None:
        """CONNECT and a session: a new one, or `session_id` continued as the widget does after
        a reload (granted only if its signature checks out); keeps the signed id it got."""
        await self.packet()  # Engine.IO open
        await self.socket.send("40")
        await self.packet()  # socket.io connected
        request = json.dumps(["session_request", {"session_id": session_id}])
        await self.socket.send(f"42{request}")
        while not self.session_id:
            packet = await self.packet()
            if "session_confirm" in packet:
                self.session_id = json.loads(packet[2:])[1]

    async def say(self, text: str) -> None:
        """A customer message."""
        body = {"message": text, "session_id": self.session_id}
        await self.socket.send("42" + json.dumps(["user_uttered", body]))

    async def until_heard(self, text: str) -> str:
        """Reads packets until one carries `text`; that packet."""
        while True:
            packet = await self.packet()
            if text in packet:
                return packet

    @property
    def conversation(self) -> str:
        """The conversation id (the signed session id's first part)."""
        return self.session_id.split(".")[0]
