"""The web widget's socket.io events with generated payloads, from several clients at once.

socket.io has no status per event, so what is checked is what a widget would notice: every
client connects, and afterwards fresh clients still get a session confirmed. The server may
close a fuzzing client's connection (engine.io refuses a request over 1 MB or with more than
16 packets, which the polling transport can batch from 100 KB texts): that is the server
defending itself, and a widget reconnects; those closes are counted and printed.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from typing import Any

import socketio

from tests.fuzz.generate import Generator


@dataclass
class SocketFigures:
    """What the socket.io part sent and saw."""

    events: int = 0
    connect_failures: int = 0
    dropped_connections: int = 0
    confirmed_after: int = 0
    disconnect_reasons: list[str] = field(default_factory=list)


# Connections one fuzzing client may use when the server closes them.
MAX_CONNECTIONS = 5


def _payload(gen: Generator) -> tuple[str, Any]:
    """An event name and its data: session requests and messages, valid or not."""
    session_id = f"{gen.rng.getrandbits(96):024x}"
    if gen.chance(0.35):
        data: Any = {"session_id": gen.rng.choice([session_id, gen.sender(), gen.value()])}
        return "session_request", data if gen.chance(0.7) else gen.value()
    if gen.chance(0.08):
        return "user_uttered", {"message": gen.short_text(), "session_id": session_id}
    data = {"message": gen.text(), "session_id": gen.sender(), "customData": gen.value()}
    if gen.chance(0.3):
        data["customData"] = gen.text()[:500]  # a string the channel parses as JSON
    return "user_uttered", data if gen.chance(0.7) else gen.value()


async def _client(url: str, gen: Generator, events: int, figures: SocketFigures) -> None:
    """Sends `events` events; a connection the server closes (engine.io refuses a polling
    request batching more than 16 packets, which a loaded machine makes) is counted and
    replaced, at most MAX_CONNECTIONS times, so the number of inputs does not depend on load."""
    sent = 0
    for _ in range(MAX_CONNECTIONS):
        client = socketio.AsyncClient(reconnection=False)
        client.on(
            "disconnect",
            lambda *why: figures.disconnect_reasons.extend(
                str(reason) for reason in why if reason != "client disconnect"
            ),
        )
        try:
            await client.connect(url, transports=["polling"], wait_timeout=30)
        except (socketio.exceptions.ConnectionError, asyncio.TimeoutError):
            figures.connect_failures += 1
            return
        try:
            while sent < events and client.connected:
                await client.emit(*_payload(gen))
                sent += 1
                figures.events += 1
                # Polling batches what is queued into one request; engine.io refuses more than
                # 16 packets per request (a browser's websocket sends one at a time).
                await asyncio.sleep(0.05)
            if sent >= events:
                return
            figures.dropped_connections += 1
        finally:
            await client.disconnect()


async def _fresh_session(url: str, figures: SocketFigures) -> None:
    """A widget opening after the fuzz: connects and gets its session confirmed."""
    client = socketio.AsyncClient(reconnection=False)
    confirmed = asyncio.Event()
    client.on("session_confirm", lambda *_: confirmed.set())
    try:
        await client.connect(url, transports=["polling"], wait_timeout=30)
        await client.emit("session_request", {"session_id": uuid.uuid4().hex})
        await asyncio.wait_for(confirmed.wait(), timeout=60)
        figures.confirmed_after += 1
    except (socketio.exceptions.ConnectionError, asyncio.TimeoutError):
        return
    finally:
        await client.disconnect()


def fuzz_socketio(url: str, seed: int, clients: int, events_each: int) -> SocketFigures:
    """Runs the clients at once; returns the figures."""
    figures = SocketFigures()

    async def run_all() -> None:
        await asyncio.gather(
            *(_client(url, Generator(seed + n), events_each, figures) for n in range(clients))
        )
        await asyncio.gather(*(_fresh_session(url, figures) for _ in range(clients)))

    asyncio.run(run_all())
    return figures
