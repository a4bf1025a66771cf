"""rasa-webchat 1.0.1 from npm, the widget many Rasa shops already embed, on the shop's own origin.

Its first socket.io request is HTTP long-polling, which a browser makes only with CORS: the
origin listed in WIDGET_CORS_ORIGINS (conftest.py) gets it, any other origin does not. The page
is served from http://localhost:<port> while Rasa answers on http://127.0.0.1:<port>, so every
request the widget makes is cross-origin. The npm bundle is fetched by deploy/setup.sh --test.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, expect

from harness.helpers import REPO_ROOT
from tests.addons.channels.test_widget import ANSWER_TIMEOUT_MS
from tests.channel_system import AGENT_NAME, ChannelSystem
from tests.pages import screenshot

BUNDLE = REPO_ROOT / "tests" / "vendor" / "rasa-webchat-1.0.1.js"
# The snippet of addons/channels/README.md ("rasa-webchat"), with the test's Rasa URL.
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Another shop</title></head>
<body><h1>Another shop</h1>
<script src="/rasa-webchat.js"></script>
<script>
  WebChat.default({
    socketUrl: "RASA_URL",
    socketPath: "/socket.io/",
    title: "Shop assistant",
    initPayload: "/greet",
    embedded: true,
    params: { storage: "session" },
  }, null);
</script>
</body></html>
"""


@pytest.fixture
def shop_page(channel_system: ChannelSystem, tmp_path: Path) -> Iterator[str]:
    """The other shop's page and the npm bundle, served on the configured other origin."""
    if not BUNDLE.exists():
        pytest.fail(f"{BUNDLE} is missing: run deploy/setup.sh --test")
    (tmp_path / "index.html").write_text(PAGE.replace("RASA_URL", channel_system.rasa_url))
    (tmp_path / "rasa-webchat.js").write_bytes(BUNDLE.read_bytes())
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(
        (channel_system.settings.host, channel_system.other_origin_port), handler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield channel_system.other_origin + "/"
    finally:
        server.shutdown()
        server.server_close()


def polling_handshake(rasa_url: str, origin: str) -> requests.Response:
    """socket.io's first long-polling request, as a browser on `origin` sends it."""
    return requests.get(
        f"{rasa_url}/socket.io/",
        params={"EIO": "4", "transport": "polling"},
        headers={"Origin": origin},
        timeout=30,
    )


def test_only_the_configured_origin_gets_cors_on_socket_io(channel_system: ChannelSystem) -> None:
    allowed = polling_handshake(channel_system.rasa_url, channel_system.other_origin)
    assert allowed.status_code == 200
    assert allowed.headers["Access-Control-Allow-Origin"] == channel_system.other_origin
    refused = polling_handshake(channel_system.rasa_url, "http://elsewhere.example")
    assert "Access-Control-Allow-Origin" not in refused.headers
    # The rest of the Rasa server's HTTP API stays without CORS for the shop's origin.
    status = requests.get(
        f"{channel_system.rasa_url}/",
        headers={"Origin": channel_system.other_origin},
        timeout=30,
    )
    assert "Access-Control-Allow-Origin" not in status.headers


def test_rasa_webchat_from_npm_gets_answers_and_a_person(
    channel_system: ChannelSystem, browser: Browser, shop_page: str
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(shop_page)
    text_box = page.locator(".rw-new-message")
    expect(text_box).to_be_visible()

    def say(text: str) -> None:
        text_box.fill(text)
        text_box.press("Enter")

    answers = page.locator(".rw-response")
    expect(answers.first).to_contain_text("automated assistant", timeout=ANSWER_TIMEOUT_MS)
    say("where is order 10003?")
    expect(answers.last).to_contain_text("delayed", timeout=ANSWER_TIMEOUT_MS)
    say("agent please")
    expect(answers.last).to_contain_text("person", timeout=ANSWER_TIMEOUT_MS)

    # rasa-webchat keeps the signed id the server issued; the conversation id comes before
    # the signature (addons/channels/session_ids.py).
    signed = page.evaluate("() => JSON.parse(sessionStorage.getItem('chat_session')).session_id")
    conversation = signed.split(".")[0]
    channel_system.desk.wait_until_handed_over(conversation)
    channel_system.desk.join(conversation)
    expect(answers.last).to_contain_text(f"{AGENT_NAME} from our support team has joined")
    channel_system.desk.reply(conversation, "Hi, Sam here. Your parcel leaves the depot tomorrow.")
    expect(answers.last).to_contain_text("leaves the depot tomorrow")
    screenshot(page, "rasa-webchat-other-origin", full_page=False)
    page.close()
