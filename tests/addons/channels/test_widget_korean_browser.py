"""A Korean customer in the widget at a desk (1280x800) and on a phone (390x844), in Debian's
chromium against the whole system: a delivery question answered in Korean (the customer's
words set the conversation's language), a request for a person handed over in Korean, and a
person's Korean reply shown as theirs, with no mojibake on the way. Screenshots:
test-artifacts/widget-ko-<size>-*.png. (The widget's own labels follow the page, English here.)
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.addons.channels.test_widget import (
    ANSWER_TIMEOUT_MS,
    ask_for_a_person,
    last_message_from,
    say,
)
from tests.channel_system import ChannelSystem
from tests.pages import SIZES, screenshot

AGENT_REPLY = "안녕하세요, 상담원 샘이에요. 택배사에 바로 확인해 볼게요."


@pytest.mark.parametrize("size", sorted(SIZES))
def test_a_korean_customer_is_answered_handed_over_and_replied_to_in_korean(
    channel_system: ChannelSystem, browser: Browser, size: str
) -> None:
    context = browser.new_context(viewport=SIZES[size], locale="ko-KR")
    page = context.new_page()
    page.goto(channel_system.web_url)
    page.get_by_role("button", name="Chat with us", exact=True).click()

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
