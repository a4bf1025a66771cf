"""The conversation page built around the reply, in chromium at 1280x800 and 390x844: the
composer is on screen without scrolling, stays there while the agent scrolls, and an internal
note sits in the thread where it was written, marked as such. axe-scanned; screenshots:
desk-composer-<size>.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.agent_desk.browser_helpers import open_tickets, signed_in
from tests.agent_desk.desk_helpers import T0
from tests.pages import SIZES, blocking_violations, overflows_horizontally, screenshot


def fully_on_screen(page: Page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()  # relative to the viewport
    size = page.viewport_size
    assert box is not None and size is not None
    return box["y"] >= 0 and box["y"] + box["height"] <= size["height"]


@pytest.mark.parametrize("size_name", list(SIZES))
def test_the_composer_is_on_screen_and_notes_are_in_the_thread(
    served: tuple, browser: Browser, size_name: str
) -> None:
    desk, base_url = served
    held, _ = open_tickets(desk)
    for i in range(12):  # a long conversation: the page could push the reply box away
        desk.customer_says("cust-1", f"message {i}: still waiting for my parcel", T0 - 80 + i)
    page = signed_in(browser, base_url, SIZES[size_name])
    page.goto(f"{base_url}/tickets/{held}")
    page.fill("#note-text", "Carrier confirmed the delay, refund likely")
    page.click("#add-note")

    note = page.locator("#transcript li.internal")
    expect(note).to_have_count(1)
    expect(note).to_contain_text("Carrier confirmed the delay")
    expect(note.locator(".who")).to_contain_text("internal note, the customer never sees it")
    page.evaluate("window.scrollTo(0, 0)")
    assert fully_on_screen(page, "#reply-text"), "the reply box needs scrolling"
    assert fully_on_screen(page, "#send")
    page.mouse.wheel(0, 600)  # the agent scrolls down the page: the composer stays
    page.wait_for_timeout(100)
    assert fully_on_screen(page, "#reply-text")
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "desk-composer", full_page=False)
    assert blocking_violations(page) == []
    assert not overflows_horizontally(page)
    page.close()
