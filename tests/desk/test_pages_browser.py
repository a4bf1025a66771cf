"""The desk's pages in Debian's chromium: queue, conversation and analytics at 1280x800 and
390x844, each scanned with axe-core and saved as a screenshot in test-artifacts/, and the
keyboard, confirmation and new-ticket behaviour an agent relies on.

The desk runs in a thread of this process on a real Redis and the real shop, with the loopback
Rasa stand-in (tests/desk/fake_rasa.py), so each test starts in a second.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from werkzeug.serving import make_server

from contract import keys
from tests.desk.desk_helpers import PASSWORD, T0, DeskUnderTest, running_desk
from tests.desk.test_analytics_page import DAY, record_a_day
from tests.pages import (
    DESKTOP,
    PHONE,
    SIZES,
    blocking_violations,
    chromium,
    overflows_horizontally,
    screenshot,
)
from tests.redis_server import RedisServer
from tests.ticket_helpers import draft
from tickets.store import connect

UI_TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's chromium driven by Playwright (tests/pages.py)."""
    with chromium() as running:
        yield running


@pytest.fixture
def served(
    redis_server: RedisServer, shop_server: str, tmp_path: Path
) -> Iterator[tuple[DeskUnderTest, str]]:
    """The desk app behind a real HTTP server; a claimed REST ticket and a waiting web one."""
    with running_desk(redis_server.url, shop_server, tmp_path) as desk:
        server = make_server("127.0.0.1", 0, desk.app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield desk, f"http://127.0.0.1:{server.server_port}"
        finally:
            server.shutdown()
            thread.join()


def open_tickets(desk: DeskUnderTest) -> tuple[str, str]:
    """T-00001 held by Alex (REST, frustrated), T-00002 waiting (web chat)."""
    held = desk.ticket("cust-1", reason="frustration", frustration=0.8)
    waiting = desk.ticket("0123456789abcdef0123456789abcdef", order_number="")
    client = connect(desk.settings.redis_url)
    client.hset(keys.ticket(waiting), "channel", "socketio")
    turns = [
        {
            "ts": T0 - 100,
            "text": "where is it",
            "sentiment": -0.2,
            "frustration": 0.3,
            "smoothed": 0.3,
            "level": "annoyed",
            "reasons": ["negative"],
        },
        {
            "ts": T0 - 98,
            "text": "USELESS",
            "sentiment": -0.6,
            "frustration": 0.9,
            "smoothed": 0.7,
            "level": "frustrated",
            "reasons": ["capitals"],
        },
    ]
    client.rpush(keys.turns("cust-1"), *[json.dumps(t) for t in turns])
    desk.store.claim(held, "alex", "Alex", T0)
    return held, waiting


def signed_in(browser: Browser, base_url: str, size: dict[str, int]) -> Page:
    page = browser.new_page(viewport=size)
    page.set_default_timeout(UI_TIMEOUT_MS)
    page.goto(f"{base_url}/login")
    page.fill("input[name=username]", "alex")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Queue")
    return page


@pytest.mark.parametrize("size_name", list(SIZES))
def test_every_desk_page_is_accessible_and_fits_the_screen(
    served: tuple[DeskUnderTest, str], browser: Browser, size_name: str
) -> None:
    desk, base_url = served
    held, _ = open_tickets(desk)
    record_a_day(desk)
    page = signed_in(browser, base_url, SIZES[size_name])
    pages = {
        "desk-queue": "/",
        "desk-conversation": f"/tickets/{held}",
        "desk-analytics": f"/analytics?from={DAY}&to={DAY}",
    }
    for name, path in pages.items():
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
        screenshot(page, name)
        assert blocking_violations(page) == [], name
        assert not overflows_horizontally(page), f"{name} is wider than {size_name}"
    page.close()


def test_the_reply_box_is_in_view_ctrl_enter_sends_and_saved_replies_fill_it(
    served: tuple[DeskUnderTest, str], browser: Browser
) -> None:
    desk, base_url = served
    held, _ = open_tickets(desk)
    page = signed_in(browser, base_url, DESKTOP)
    page.goto(f"{base_url}/tickets/{held}")
    box = page.locator("#reply-text").bounding_box()
    assert box is not None and box["y"] + box["height"] <= DESKTOP["height"]
    expect(page.locator("#no-push")).to_contain_text("they will NOT see your reply")
    page.fill("#reply-text", "Hello, Alex here.")
    page.press("#reply-text", "Control+Enter")
    expect(page.get_by_text("Reply saved in the conversation.")).to_be_visible()
    assert desk.rasa.appended[-1]["events"][0]["text"] == "Hello, Alex here."

    # A saved reply (config/canned_replies.yml) goes into the box with the agent's name.
    page.get_by_label("Saved reply").select_option(label="Greeting")
    greeting = "Hi, this is Alex from the support team. I'm reading your conversation now."
    expect(page.locator("#reply-text")).to_have_value(greeting)
    expect(page.locator("#reply-text")).to_be_focused()
    page.press("#reply-text", "Control+Enter")
    expect(page.get_by_text("Reply saved in the conversation.")).to_be_visible()
    assert desk.rasa.appended[-1]["events"][0]["text"] == greeting


def test_closing_asks_first(served: tuple[DeskUnderTest, str], browser: Browser) -> None:
    desk, base_url = served
    held, _ = open_tickets(desk)
    page = signed_in(browser, base_url, PHONE)
    page.goto(f"{base_url}/tickets/{held}")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("#close")
    expect(page.locator("#holding")).to_contain_text("Held by")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#close")
    expect(page.locator("#holding")).to_contain_text("Closed")


def test_a_new_ticket_shows_in_the_title_and_is_announced(
    served: tuple[DeskUnderTest, str], browser: Browser
) -> None:
    desk, base_url = served
    open_tickets(desk)
    page = signed_in(browser, base_url, DESKTOP)
    expect(page).to_have_title("(1) Queue · Agent desk")
    desk.store.open_ticket(draft("cust-3", reason="repeated_contact", created_at=T0))
    expect(page).to_have_title("(2) Queue · Agent desk")
    expect(page.locator("#new-tickets")).to_contain_text("Customer had to come back")


def test_the_conversation_updates_live_and_keeps_its_scroll_position(
    served: tuple[DeskUnderTest, str], browser: Browser
) -> None:
    desk, base_url = served
    held, _ = open_tickets(desk)
    events = desk.rasa.events[desk.store.get(held).conversation_id]
    for n in range(40):
        events.append({"event": "user", "text": f"message {n}", "timestamp": T0 + n})
    page = signed_in(browser, base_url, DESKTOP)
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(f"{base_url}/tickets/{held}")
    transcript = page.locator("#transcript")
    expect(transcript).to_contain_text("message 39")
    assert transcript.evaluate("list => list.scrollHeight > list.clientHeight")
    transcript.evaluate("list => { list.scrollTop = 120; window.notReloaded = true; }")

    events.append({"event": "user", "text": "Are you still there?", "timestamp": T0 + 100})
    expect(transcript).to_contain_text("Are you still there?")
    assert transcript.evaluate("list => list.scrollTop") == 120
    assert page.evaluate("window.notReloaded") is True
    # Pushed over one event stream: the page never asked for its JSON.
    assert any(url.endswith(f"/api/tickets/{held}/events") for url in asked)
    assert not any(url.endswith("/live") for url in asked)
    page.close()
