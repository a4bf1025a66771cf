"""The widget page's Content-Security-Policy: the chat works under it, and only the page's own
origin and the listed shop origins may frame it (issue 12, finding 7)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import Browser, expect

from harness.helpers import free_port
from tests.addons.channels.test_widget import ANSWER_TIMEOUT_MS, last_message_from, open_chat, say
from tests.channel_system import ChannelSystem
from web.server import WebServer
from web.settings import WebSettings

FRAMING_PAGE = '<!doctype html><html lang="en"><title>Framer</title><iframe src="{src}"></iframe>'


@contextmanager
def serving(server: ThreadingHTTPServer) -> Iterator[str]:
    """Serves in a thread; yields the server's URL."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}"
    finally:
        server.shutdown()
        server.server_close()


def framing_site(directory: Path, target: str) -> ThreadingHTTPServer:
    """A page on another port (another origin) that puts `target` in an iframe."""
    (directory / "index.html").write_text(FRAMING_PAGE.format(src=target))
    handler = partial(SimpleHTTPRequestHandler, directory=str(directory))
    return ThreadingHTTPServer(("127.0.0.1", free_port()), handler)


def shop_logo_in_frame(browser: Browser, framer_url: str) -> int:
    """How many shop logos the framed page shows (0 when the browser refused to frame it)."""
    page = browser.new_page()
    page.goto(framer_url + "/", wait_until="load")
    count = page.frame_locator("iframe").locator(".shop-logo").count()
    page.close()
    return count


def test_the_chat_works_under_the_pages_policy(
    channel_system: ChannelSystem, browser: Browser
) -> None:
    page = browser.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    response = page.goto(channel_system.web_url)
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'self'" in policy and "script-src 'self'" in policy
    open_chat(page, channel_system)
    say(page, "where is order 10003?")
    expect(last_message_from(page, "assistant")).to_contain_text(
        "delayed", timeout=ANSWER_TIMEOUT_MS
    )
    assert violations == []
    page.close()


def test_another_site_cannot_frame_the_chat_page(
    channel_system: ChannelSystem, browser: Browser, tmp_path: Path
) -> None:
    with serving(framing_site(tmp_path, channel_system.web_url + "/")) as framer:
        assert shop_logo_in_frame(browser, framer) == 0


def test_a_listed_shop_origin_may_frame_the_chat_page(
    channel_system: ChannelSystem, browser: Browser, tmp_path: Path
) -> None:
    framer = framing_site(tmp_path, "")
    framer_origin = f"http://127.0.0.1:{framer.server_address[1]}"
    settings = WebSettings(
        host="127.0.0.1",
        port=free_port(),
        rasa_port=channel_system.settings.rasa_port,
        socket_url=None,
        frame_ancestors=frozenset({framer_origin}),
    )
    with serving(WebServer(settings)) as web_url:
        (tmp_path / "index.html").write_text(FRAMING_PAGE.format(src=web_url + "/"))
        with serving(framer) as framer_url:
            assert shop_logo_in_frame(browser, framer_url) == 1
