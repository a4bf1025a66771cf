"""The desk's pages in Debian's chromium: queue, conversation and analytics at 1280x800 and
390x844, each scanned with axe-core and saved as a screenshot in test-artifacts/, and the
keyboard, confirmation and new-ticket behaviour an agent relies on.

The desk runs in a thread of this process (tests/agent_desk/conftest.py, `served`).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from harness.ticket_helpers import draft
from tests.agent_desk.browser_helpers import open_tickets, signed_in
from tests.agent_desk.desk_helpers import T0, DeskUnderTest
from tests.agent_desk.test_analytics_page import DAY, record_a_day
from tests.pages import (
    DESKTOP,
    PHONE,
    SIZES,
    blocking_violations,
    overflows_horizontally,
    screenshot,
)


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
    # Sending reloads the page; its notice shows before the page's deferred scripts have run,
    # and a saved reply chosen before then would fill nothing (seen under load).
    page.wait_for_load_state("load")

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

    desk.customer_says(desk.store.get(held).conversation_id, "Are you still there?", T0 + 100)
    expect(transcript).to_contain_text("Are you still there?")
    assert transcript.evaluate("list => list.scrollTop") == 120
    assert page.evaluate("window.notReloaded") is True
    # Pushed over one event stream: the page never asked for its JSON.
    assert any(url.endswith(f"/api/tickets/{held}/events") for url in asked)
    assert not any(url.endswith("/live") for url in asked)
    page.close()
