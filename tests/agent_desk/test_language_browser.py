"""The desk's own interface in each agent's language, in Debian's chromium: Alex switches to
Korean and sees Korean labels on the queue and a conversation, and still does after signing in
again; Sam, signed in at the same time, keeps English; Alex can switch back.

The desk runs in a thread of this process (tests/agent_desk/conftest.py, `served`).
"""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.agent_desk.browser_helpers import open_tickets, signed_in
from tests.agent_desk.desk_helpers import DeskUnderTest
from tests.pages import DESKTOP, PHONE, blocking_violations, overflows_horizontally, screenshot


def test_an_agent_switches_the_desk_to_korean_and_a_colleague_keeps_english(
    served: tuple[DeskUnderTest, str], browser: Browser
) -> None:
    desk, base_url = served
    held, _ = open_tickets(desk)
    alex = signed_in(browser, base_url, DESKTOP, "alex")
    sam = signed_in(browser, base_url, DESKTOP, "sam")

    alex.click("#desk-language-ko")
    expect(alex.locator("h1")).to_contain_text("대기열")
    expect(alex.locator("html")).to_have_attribute("lang", "ko")
    expect(alex.locator("table.queue thead")).to_contain_text("담당자")
    expect(alex.locator("header.top")).to_contain_text("로그아웃")
    expect(alex.locator("#desk-language-en")).to_have_text("English")
    # What the scripts write (static/words.js): the notifications button, the refresh time, and
    # the rows they redraw.
    expect(alex.locator("#notify-toggle")).to_have_text("데스크톱 알림 켜기")
    expect(alex.locator("#updated")).to_contain_text("갱신")
    expect(alex.locator("#queue-rows")).to_contain_text("담당자 없음")
    screenshot(alex, "desk-queue-korean")
    assert blocking_violations(alex) == []

    alex.goto(f"{base_url}/tickets/{held}")
    expect(alex.locator("#hand-back")).to_have_text("어시스턴트에게 돌려주기")
    expect(alex.locator("#customer-panel h2")).to_contain_text("고객")

    sam.reload()
    expect(sam.locator("h1")).to_contain_text("Queue")
    expect(sam.locator("html")).to_have_attribute("lang", "en")
    expect(sam.locator("header.top")).to_contain_text("Sign out")
    expect(sam.locator("header.top")).not_to_contain_text("로그아웃")
    expect(sam.locator("#notify-toggle")).to_have_text("Enable desktop notifications")
    expect(sam.locator("#queue-rows")).to_contain_text("unclaimed")

    # Kept with the agent, not the browser: a new sign-in on a phone is Korean too.
    phone = signed_in(browser, base_url, PHONE, "alex", heading="대기열")
    screenshot(phone, "desk-queue-korean-phone")
    assert not overflows_horizontally(phone)
    phone.click("#desk-language-en")
    expect(phone.locator("h1")).to_contain_text("Queue")
    for page in (alex, sam, phone):
        page.close()
