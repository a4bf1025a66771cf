"""A socket.io client that starts with long-polling, as Rasa's stock web widget does, through
HAProxy: every request of its session reaches the same Rasa instance, and the upgrade to
WebSocket passes through. Spoken at the Engine.IO level by hand, so each step is visible."""

from __future__ import annotations

import asyncio
import json

import requests
import websockets

from launcher.balancer import SERVED_BY_HEADER
from tests.scale.conftest import ScaledSystem


def poll(
    session: requests.Session, url: str, sid: str | None = None, body: str = ""
) -> tuple[str, str]:
    """One long-polling request: (the instance that served it, the response body)."""
    params = {"EIO": "4", "transport": "polling", **({"sid": sid} if sid else {})}
    if body:
        response = session.post(url, params=params, data=body, timeout=30)
    else:
        response = session.get(url, params=params, timeout=30)
    assert response.status_code == 200, response.text
    return response.headers[SERVED_BY_HEADER], response.text


async def upgrade_and_chat(ws_url: str, cookie: str) -> list[str]:
    """Engine.IO upgrade (probe, upgrade), then a session request and one customer message."""
    async with websockets.connect(ws_url, extra_headers={"Cookie": cookie}) as socket:
        await socket.send("2probe")
        assert await asyncio.wait_for(socket.recv(), 30) == "3probe"
        await socket.send("5")
        await socket.send('42["session_request",{"session_id":null}]')
        received: list[str] = []
        while not any("bot_uttered" in packet for packet in received):
            packet = str(await asyncio.wait_for(socket.recv(), 90))
            if packet == "2":  # Engine.IO ping
                await socket.send("3")
                continue
            received.append(packet)
            if "session_confirm" in packet:
                session_id = json.loads(packet[2:])[1]
                message = {"message": "hello there", "session_id": session_id}
                await socket.send("42" + json.dumps(["user_uttered", message]))
        return received


def test_long_polling_sticks_to_one_instance_and_upgrades_to_websocket(
    scaled: ScaledSystem,
) -> None:
    url = f"{scaled.rasa_url}/socket.io/"
    with requests.Session() as session:
        first, opened = poll(session, url)
        sid = json.loads(opened[1:])["sid"]
        connect, _ = poll(session, url, sid, body="40")  # socket.io CONNECT
        confirm, connected = poll(session, url, sid)
        assert connected.startswith("40")
        served = [first, connect, confirm]
        served += [poll(session, url, sid, body="3")[0] for _ in range(3)]  # harmless pongs
        cookie = "; ".join(f"{c.name}={c.value}" for c in session.cookies)

    # Without stickiness these requests would be spread and Engine.IO would refuse most.
    assert len(set(served)) == 1 and cookie.startswith("CS_RASA_INSTANCE=")
    ws_url = url.replace("http", "ws", 1) + f"?EIO=4&transport=websocket&sid={sid}"
    packets = asyncio.run(upgrade_and_chat(ws_url, cookie))

    answer = next(p for p in packets if "bot_uttered" in p)
    assert "assistant" in json.loads(answer[2:])[1]["text"].lower()
