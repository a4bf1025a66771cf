"""Times on the desk in chromium: queue timers tick every second from the server's timestamps
(the browser's clock is Playwright's, moved by the test; the desk's is the tests' clock), and
every time on a page reads in the one desk format. Screenshots: desk-times-queue-*.png."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from harness.ticket_helpers import draft
from tests.agent_desk.browser_helpers import open_tickets, signed_in
from tests.agent_desk.desk_helpers import DeskUnderTest
from tests.pages import SIZES, screenshot

# The browser's clock is set far from the desk's (T0): the timers must follow the server.
BROWSER_EPOCH_MS = 1_500_000_000_000
TWENTY_FOUR_HOUR = re.compile(r"^\d{2}:\d{2}:\d{2}$")


@pytest.mark.parametrize("size_name", list(SIZES))
def test_queue_timers_tick_from_server_time_in_the_desk_format(
    served: tuple[DeskUnderTest, str], browser: Browser, size_name: str
) -> None:
    desk, base_url = served
    ticket, _ = desk.store.open_ticket(draft("just-now", created_at=desk.clock.now - 4))
    page = signed_in(browser, base_url, SIZES[size_name])
    page.clock.install(time=BROWSER_EPOCH_MS)
    page.goto(base_url + "/")
    cell = page.locator(f"tr[data-reference={ticket.reference}] td.waited")
    expect(cell).to_have_text("4 s")
    page.clock.run_for(20_000)  # 20 s pass in the browser; nothing changes on the server
    expect(cell).to_have_text("24 s")
    page.clock.run_for(60_000)
    expect(cell).to_have_text("1 min")
    updated = page.locator("#updated")
    expect(updated).to_have_text(re.compile(r"^updated \d{2}:\d{2}:\d{2}$"))
    screenshot(page, "desk-times-queue")
    page.close()


def test_one_time_format_on_the_conversation_page(
    served: tuple[DeskUnderTest, str], browser: Browser
) -> None:
    desk, base_url = served
    held, _ = open_tickets(desk)
    page = signed_in(browser, base_url, SIZES["desktop"])
    page.goto(f"{base_url}/tickets/{held}")
    expect(page.locator("#live-status")).to_contain_text("live")
    status_time = (page.locator("#live-status").text_content() or "").rsplit("· ", 1)[-1]
    assert TWENTY_FOUR_HOUR.match(status_time), status_time
    for text in page.locator("#transcript .time").all_text_contents():
        assert TWENTY_FOUR_HOUR.match(text), text
    page.close()
