"""The widget as a customer meets it at a desk (1280x800) and on a phone (390x844).

Each size: the greeting on opening, a delivery question with its time, a handover shown as a
system card, the person named in the status line as soon as they claim, their reply; then an
axe-core scan that fails on serious or critical findings (the "writing..." line shown, so its
contrast counts too), the input's font size, the phone's full-screen panel, and Escape closing
the panel with focus back on the launcher. Screenshots: test-artifacts/widget-<size>-*.png.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.addons.channels.test_widget import (
    ANSWER_TIMEOUT_MS,
    ask_for_a_person,
    last_message_from,
    say,
)
from tests.channel_system import AGENT_NAME, ChannelSystem
from tests.pages import PHONE, SIZES, blocking_violations, screenshot

MIN_INPUT_FONT_PX = 16


def scan(page: Page) -> None:
    """No serious or critical axe-core finding on the page as it is now."""
    violations = blocking_violations(page)
    assert not violations, "\n".join(violations)


@pytest.mark.parametrize("size", sorted(SIZES))
def test_widget_reads_well_and_works_from_the_keyboard(
    channel_system: ChannelSystem, browser: Browser, size: str
) -> None:
    context = browser.new_context(viewport=SIZES[size])
    page = context.new_page()
    page.goto(channel_system.web_url)
    launcher = page.get_by_role("button", name="Chat with us", exact=True)
    launcher.click()
    panel = page.get_by_role("dialog", name="Shop assistant")
    expect(panel).to_be_visible()
    expect(page.locator("[data-cs=greeting]")).to_contain_text("automated assistant")
    expect(page.get_by_role("textbox", name="Your message")).to_be_focused()
    screenshot(page, f"widget-{size}-1-greeting", full_page=False)

    say(page, "where is order 10003?")
    expect(last_message_from(page, "assistant")).to_contain_text(
        "delayed", timeout=ANSWER_TIMEOUT_MS
    )
    expect(last_message_from(page, "customer").locator("time")).to_have_text(
        page.evaluate(
            "() => new Date().toLocaleTimeString([], {hour: '2-digit', minute: '2-digit'})"
        )
    )
    conversation = ask_for_a_person(
        page, channel_system, "agent please", "Handing over to a person"
    )
    expect(page.locator("[data-cs=status]")).to_have_text(f"{AGENT_NAME} from the support team")
    channel_system.desk.reply(conversation, "Hi, Sam here. I'm checking with the carrier now.")
    expect(last_message_from(page, "agent")).to_contain_text("checking with the carrier")
    screenshot(page, f"widget-{size}-2-handover-and-reply", full_page=False)

    page.locator("[data-cs=typing]").evaluate("node => { node.hidden = false; }")
    scan(page)
    font_px = page.locator("[data-cs=input]").evaluate(
        "node => parseFloat(getComputedStyle(node).fontSize)"
    )
    assert font_px >= MIN_INPUT_FONT_PX
    if SIZES[size] == PHONE:
        box = panel.bounding_box()
        assert box == {"x": 0, "y": 0, "width": PHONE["width"], "height": PHONE["height"]}

    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    channel_system.desk.reply(conversation, "The parcel leaves the depot tomorrow.")
    expect(page.get_by_role("button", name="Chat with us, 1 new message")).to_be_visible()
    scan(page)
    screenshot(page, f"widget-{size}-3-closed-with-unread")
    context.close()
