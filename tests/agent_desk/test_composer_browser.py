"""The conversation page built around the reply, in chromium at 1280x800 and 390x844: one
composer with Reply and Note tabs is on screen without scrolling (its whole bounding box inside
the viewport), stays there while the agent scrolls, a note written in the Note tab with
Ctrl+Enter sits in the thread where it was written, marked as such; the summary and the chart
stand beside the conversation on a wide screen and are folded, one tap from open, on a phone.
axe-scanned; screenshots: desk-composer-<size>.png, desk-conversation-<size>.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.agent_desk.browser_helpers import open_tickets, signed_in
from tests.agent_desk.desk_helpers import T0
from tests.pages import SIZES, blocking_violations, overflows_horizontally, screenshot


def held_conversation(served: tuple, browser: Browser, size_name: str, turns: int = 0) -> Page:
    """Alex's page of the ticket he holds, `turns` more customer messages in it."""
    desk, base_url = served
    held, _ = open_tickets(desk)
    for i in range(turns):
        desk.customer_says("cust-1", f"message {i}: still waiting for my parcel", T0 - 80 + i)
    page = signed_in(browser, base_url, SIZES[size_name])
    page.goto(f"{base_url}/tickets/{held}")
    return page


def fully_on_screen(page: Page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()  # relative to the viewport
    size = page.viewport_size
    assert box is not None and size is not None
    return box["y"] >= 0 and box["y"] + box["height"] <= size["height"]


@pytest.mark.parametrize("size_name", list(SIZES))
def test_the_composer_is_on_screen_and_notes_are_in_the_thread(
    served: tuple, browser: Browser, size_name: str
) -> None:
    # A long conversation: the page could push the reply box away.
    page = held_conversation(served, browser, size_name, turns=12)
    page.evaluate("window.scrollTo(0, 0)")
    assert fully_on_screen(page, "#composer"), "the composer needs scrolling"
    expect(page.locator("#tab-reply")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#note-text")).to_be_hidden()
    page.click("#tab-note")
    expect(page.locator("#reply-text")).to_be_hidden()
    expect(page.locator("#note-text")).to_be_focused()
    assert fully_on_screen(page, "#composer"), "the Note tab needs scrolling"
    page.fill("#note-text", "Carrier confirmed the delay, refund likely")
    page.press("#note-text", "Control+Enter")

    note = page.locator("#transcript li.internal")
    expect(note).to_have_count(1)
    expect(note).to_contain_text("Carrier confirmed the delay")
    expect(note.locator(".who")).to_contain_text("internal note, the customer never sees it")
    page.evaluate("window.scrollTo(0, 0)")
    expect(page.locator("#tab-reply")).to_have_attribute("aria-selected", "true")
    assert fully_on_screen(page, "#composer"), "the composer needs scrolling"
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


@pytest.mark.parametrize("size_name", list(SIZES))
def test_the_summary_and_chart_stand_beside_or_fold_away(
    served: tuple, browser: Browser, size_name: str
) -> None:
    page = held_conversation(served, browser, size_name)
    summary = page.locator("ul.summary")
    if size_name == "desktop":
        expect(summary).to_be_visible()
        expect(page.locator("#chart svg")).to_be_visible()
        side = page.locator("#summary-fold").bounding_box()
        thread = page.locator("#transcript").bounding_box()
        assert side and thread and side["x"] + side["width"] <= thread["x"], "not beside"
        assert side["y"] < thread["y"] + thread["height"], "not beside"
    else:
        expect(summary).to_be_hidden()
        expect(page.locator("#chart svg")).to_be_hidden()
        page.click("#summary-fold > summary")
        expect(summary).to_be_visible()
        page.click("#chart-fold > summary")
        expect(page.locator("#chart svg")).to_be_visible()
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "desk-conversation", full_page=False)
    assert blocking_violations(page) == []
    page.close()
