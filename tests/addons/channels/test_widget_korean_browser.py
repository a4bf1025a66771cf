"""A Korean customer in the widget at a desk (1280x800) and on a phone (390x844), in Debian's
chromium against the whole system: a delivery question answered in Korean (the customer's
words set the conversation's language), a request for a person handed over in Korean, and a
person's Korean reply shown as theirs, with no mojibake on the way.

The widget's own words (web/static/widget/texts.js) follow the page, not the browser or the
customer: on the English demo page they stay English for a Korean browser and customer; on the
same page made Korean (`<html lang="ko">`, or the tag's data-language="ko")
the launcher, header, placeholder, Send, status line, handover card and email step are Korean.
Screenshots: test-artifacts/widget-ko-<size>-*.png and widget-ko-page-<size>-*.png.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.addons.channels.test_widget import (
    ANSWER_TIMEOUT_MS,
    ask_for_a_person,
    last_message_from,
    say,
    session_id,
)
from tests.channel_system import AGENT_NAME, ChannelSystem
from tests.pages import SIZES, blocking_violations, screenshot

AGENT_REPLY = "안녕하세요, 상담원 샘이에요. 택배사에 바로 확인해 볼게요."
# The two ways a page tells the widget it is Korean: its own language, or the embed's option.
# Each is set once the page is parsed, before the widget's module runs (module scripts run
# after readyState turns "interactive"): a page Playwright serves itself counts as a public
# site to Chromium, which then blocks its socket to the local Rasa server.
KOREAN_PAGES = {
    "html-lang": 'document.documentElement.lang = "ko";',
    "data-language": 'document.querySelector("script[data-socket-url]").dataset.language = "ko";',
}


def make_page_korean(page: Page, how: str) -> None:
    """The demo shop page from the running web server, saying `how` it is Korean
    (KOREAN_PAGES) before the widget starts."""
    page.add_init_script(
        'document.addEventListener("readystatechange", () => {'
        f' if (document.readyState === "interactive") {{ {KOREAN_PAGES[how]} }} }});'
    )


def expect_english_labels(page: Page) -> None:
    """The launcher, placeholder and Send button in English (the chat panel open)."""
    expect(page.locator("[data-cs=widget]")).to_have_attribute("lang", "en")
    expect(page.get_by_role("dialog", name="Shop assistant")).to_be_visible()
    expect(page.locator("[data-cs=input]")).to_have_attribute("placeholder", "Write a message")
    expect(page.locator("[data-cs=send]")).to_have_text("Send")


@pytest.mark.parametrize("size", sorted(SIZES))
def test_a_korean_customer_is_answered_handed_over_and_replied_to_in_korean(
    channel_system: ChannelSystem, browser: Browser, size: str
) -> None:
    context = browser.new_context(viewport=SIZES[size], locale="ko-KR")
    page = context.new_page()
    page.goto(channel_system.web_url)
    page.get_by_role("button", name="Chat with us", exact=True).click()
    expect_english_labels(page)

    say(page, "10003 택배 언제 와요??")
    answer = last_message_from(page, "assistant")
    expect(answer).to_contain_text("10003", timeout=ANSWER_TIMEOUT_MS)
    expect(answer).to_contain_text("죄송해요")
    expect(answer).not_to_contain_text("delayed")
    screenshot(page, f"widget-ko-{size}-1-delivery-answer", full_page=False)

    conversation = ask_for_a_person(
        page, channel_system, "상담원이랑 얘기하고 싶어요", "상담원에게 연결해 드릴게요"
    )
    channel_system.desk.reply(conversation, AGENT_REPLY)
    expect(last_message_from(page, "agent")).to_contain_text(AGENT_REPLY)
    screenshot(page, f"widget-ko-{size}-2-handover-and-reply", full_page=False)
    context.close()


@pytest.mark.parametrize("how", sorted(KOREAN_PAGES))
def test_on_a_korean_page_the_widget_speaks_korean_before_anyone_writes(
    channel_system: ChannelSystem, browser: Browser, how: str
) -> None:
    # An English browser: the page's language decides, not the browser's.
    context = browser.new_context(viewport=SIZES["desktop"], locale="en-US")
    page = context.new_page()
    make_page_korean(page, how)
    page.goto(channel_system.web_url)
    page.get_by_role("button", name="채팅 상담", exact=True).click()

    expect(page.locator("[data-cs=widget]")).to_have_attribute("lang", "ko")
    expect(page.get_by_role("dialog", name="쇼핑 도우미")).to_be_visible()
    expect(page.locator("[data-cs=input]")).to_have_attribute("placeholder", "메시지를 입력하세요")
    expect(page.locator("[data-cs=send]")).to_have_text("보내기")
    expect(page.locator("[data-cs=greeting]")).to_contain_text("자동 상담 도우미예요")
    expect(page.locator("[data-cs=status]")).to_contain_text("언제든 상담원을 요청할 수 있어요")
    assert not blocking_violations(page)
    context.close()


def test_every_language_tag_gets_a_whole_table(
    channel_system: ChannelSystem, browser: Browser
) -> None:
    """Korean has every text English has (a missing one would show "undefined"), and a tag
    picks its table by its primary subtag, with English for a language without one."""
    page = browser.new_page()
    page.goto(channel_system.web_url)
    tags = ["ko", "ko-KR", "KO_kr", "en-GB", "fr", "", "kok"]
    picked = page.evaluate(
        """async (tags) => {
            const { textsFor } = await import("/widget/texts.js");
            const keys = (lang) => Object.keys(textsFor(lang)).sort().join(" ");
            return { same: keys("ko") === keys("en"), tags: tags.map((t) => textsFor(t).lang) };
        }""",
        tags,
    )
    assert picked == {"same": True, "tags": ["ko", "ko", "ko", "en", "en", "en", "en"]}
    page.close()


@pytest.mark.parametrize("size", sorted(SIZES))
def test_a_handover_on_a_korean_page_is_told_in_korean(
    channel_system: ChannelSystem, browser: Browser, size: str
) -> None:
    context = browser.new_context(viewport=SIZES[size], locale="ko-KR")
    page = context.new_page()
    make_page_korean(page, "html-lang")
    page.goto(channel_system.web_url)
    page.get_by_role("button", name="채팅 상담", exact=True).click()
    screenshot(page, f"widget-ko-page-{size}-1-open", full_page=False)

    say(page, "상담원이랑 얘기하고 싶어요")
    card = page.locator("[data-cs=message].cs-system").last
    expect(card).to_contain_text("상담원에게 연결해 드릴게요", timeout=ANSWER_TIMEOUT_MS)
    expect(card.locator(".cs-label")).to_have_text("상담원에게 연결하고 있어요")
    expect(page.locator("[data-cs=status]")).to_contain_text("상담원을 기다리는 중")
    expect(page.locator("[data-cs=follow-up-open]")).to_have_text(
        "기다리기 어려우세요? 답변을 메일로 받아 보세요"
    )
    page.locator("[data-cs=follow-up-open]").click()
    page.locator("[data-cs=follow-up-send]").click()
    expect(page.locator("[data-cs=follow-up-message]")).to_have_text(
        "메일로 답변을 받으려면 동의 칸에 체크해 주세요."
    )
    screenshot(page, f"widget-ko-page-{size}-2-waiting", full_page=False)

    conversation = session_id(page, channel_system)
    channel_system.desk.wait_until_handed_over(conversation)
    channel_system.desk.join(conversation)
    expect(page.locator("[data-cs=status]")).to_have_text(f"상담팀 {AGENT_NAME} 님")
    context.close()
