"""A Korean-interface agent's analytics, review and conversation pages, in Debian's chromium:
no English interface text is left on them (every multi-word text of the desk's catalog that
has Korean, and the summary's English labels, are looked for in what the page shows), the
summary of a Korean conversation reads in Korean, and the server-drawn charts have Hangul.

Saves test-artifacts/desk-korean-analytics-*.png, desk-korean-review-*.png and
desk-korean-conversation-*.png.
"""

from __future__ import annotations

import json
import re

from babel.messages.pofile import read_po
from playwright.sync_api import Browser, Page, expect

from agent_desk.app import follow_up_mail
from agent_desk.i18n import KOREAN, AgentLanguages, catalog_path
from agent_desk.mail_settings import load_mail_settings
from contract import keys
from contract.follow_up import FollowUp, key
from tests.agent_desk.browser_helpers import signed_in
from tests.agent_desk.desk_helpers import T0, DeskUnderTest
from tests.agent_desk.test_analytics_page import RANGE, record_a_day
from tests.agent_desk.test_review_browser import keep
from tests.pages import DESKTOP, blocking_violations, screenshot
from tickets.model import Ticket
from tickets.store import connect
from tickets.summary import ENGLISH_SUMMARY, summarize

CONVERSATION = "ko-visitor-1"
# A Korean conversation as the action server hands it over (tickets/summary.py writes it).
EVENTS = [
    {"event": "user", "text": "10003 주문 어디쯤 왔어요?", "timestamp": T0 - 100,
     "parse_data": {"intent": {"name": "check_delivery", "confidence": 0.95}}},
    {"event": "action", "name": "action_check_delivery", "timestamp": T0 - 99.5},
    {"event": "bot", "text": "주문 10003은 배송이 늦어지고 있어요.", "timestamp": T0 - 99},
    {"event": "user", "text": "아직도요?? 상담원 연결해 주세요 ㅡㅡ", "timestamp": T0 - 98,
     "parse_data": {"intent": {"name": "request_human", "confidence": 0.97}}},
    {"event": "pause", "timestamp": T0 - 95},
]  # fmt: skip
TURNS = [
    {"ts": T0 - 100, "text": "10003 주문 어디쯤 왔어요?", "sentiment": 0.0, "frustration": 0.1,
     "smoothed": 0.1, "level": "calm", "reasons": []},
    {"ts": T0 - 98, "text": "아직도요?? 상담원 연결해 주세요 ㅡㅡ", "sentiment": -0.4,
     "frustration": 0.7, "smoothed": 0.55, "level": "annoyed",
     "reasons": ["repeat_contact_phrase", "exclamations"]},
]  # fmt: skip
SLOTS = {"language": "ko", "order_number": "10003", "frustration_level": "annoyed"}


def english_interface_texts() -> list[str]:
    """The desk's English texts a Korean agent must not see: each literal run of three words or
    more of every catalog entry with a Korean translation (placeholders split it), plus the
    summary's English labels."""
    with catalog_path(KOREAN).open("rb") as source:
        catalog = read_po(source, locale=KOREAN)
    texts = set()
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        for text in ids:
            for run in re.split(r"%\(\w+\)s|<[^>]+>|%%", text):
                run = run.strip(" .,:;()“”'")
                if len(run.split()) >= 3:
                    texts.add(run)
    summary = {ENGLISH_SUMMARY.wants.strip(), "Handed over:", "Customer state:", "Last message:"}
    return sorted(texts | summary)


ENGLISH = english_interface_texts()


def left_in_english(page: Page) -> list[str]:
    """The English interface texts the page shows (its visible text, the charts' not included)."""
    shown = " ".join(page.locator("body").inner_text().split())
    return [text for text in ENGLISH if text in shown]


def korean_ticket(desk: DeskUnderTest) -> str:
    """A Korean web-chat conversation handed over and held by Alex, with an email follow-up whose
    first email could not be sent yet and a second one sent."""
    draft = Ticket(
        conversation_id=CONVERSATION,
        channel="socketio",
        reason="customer_request",
        created_at=T0 - 90,
        customer={"sender_id": CONVERSATION, "email": "", "order_number": "10003"},
        summary=summarize(SLOTS, EVENTS, "customer_request", TURNS),
        transcript=[],
        sentiment=TURNS,
        frustration=0.55,
        level="annoyed",
    )
    ticket, _ = desk.store.open_ticket(draft)
    desk.rasa.events[CONVERSATION].extend(EVENTS)
    client = connect(desk.settings.redis_url)
    client.rpush(keys.turns(CONVERSATION), *[json.dumps(t) for t in TURNS])
    desk.store.claim(ticket.reference, "alex", "Alex", T0)
    client.hset(key(CONVERSATION), mapping=FollowUp("minji@example.kr", T0 - 60).to_hash())
    follow_up = follow_up_mail(client, load_mail_settings({}))
    desk.desk.follow_up = follow_up
    for text in ("첫 답장", "두 번째 답장"):
        follow_up.outbox.queue(ticket.reference, "minji@example.kr", "답장", text, T0 - 50)
    first = follow_up.outbox.take_due(T0)
    assert first is not None
    follow_up.outbox.not_sent(first, "connection refused", T0)
    second = follow_up.outbox.take_due(T0)
    assert second is not None
    follow_up.outbox.sent(second, T0 + 1)
    return ticket.reference


def test_a_korean_agent_sees_analytics_review_and_a_conversation_in_korean(
    served: tuple[DeskUnderTest, str], browser: Browser
) -> None:
    desk, base_url = served
    record_a_day(desk)
    keep(desk)
    reference = korean_ticket(desk)
    AgentLanguages(connect(desk.settings.redis_url)).set("alex", KOREAN)
    page = signed_in(browser, base_url, DESKTOP, "alex", heading="대기열")
    # The queue's "wants" column reads the Korean summary.
    expect(page.locator("#queue-rows")).to_contain_text("주문 배송 상태")

    page.goto(f"{base_url}/analytics?from={RANGE['from']}&to={RANGE['to']}")
    expect(page.locator("h1")).to_have_text("통계")
    expect(page.locator("#headlines")).to_contain_text("자동 해결률")
    expect(page.locator("#containment table")).to_contain_text("전체 기간")
    expect(page.locator("#cues")).to_contain_text("대문자로 씀")
    expect(page.locator("#satisfaction")).to_contain_text("요청 시점: 상담원이 종료함")
    expect(page.locator("#claim_times")).to_contain_text("1~5분")
    chart = page.request.get(
        f"{base_url}/analytics/charts/handoffs.svg?from={RANGE['from']}&to={RANGE['to']}"
    )
    assert chart.ok and "<svg" in chart.text()
    screenshot(page, "desk-korean-analytics")
    assert left_in_english(page) == []

    page.goto(f"{base_url}/review")
    expect(page.get_by_role("heading", name="어시스턴트의 짐작: 주문 배송 상태")).to_be_visible()
    expect(page.locator("main")).to_contain_text("환불 요청")
    screenshot(page, "desk-korean-review")
    assert left_in_english(page) == []
    assert blocking_violations(page) == []

    page.goto(f"{base_url}/tickets/{reference}")
    summary = page.locator("ul.summary")
    expect(summary).to_contain_text("연결 사유: 고객이 상담원을 요청함")
    expect(summary).to_contain_text("문의: 주문 배송 상태")
    expect(summary).to_contain_text("고객 상태: 언짢음")
    expect(page.locator("#holding")).to_contain_text("내가")
    expect(page.locator("#mails")).to_contain_text("아직 발송 안 됨")
    expect(page.locator("#mails")).to_contain_text("발송됨")
    expect(page.locator("#transcript")).to_contain_text("어시스턴트가 상담원에게 연결하고")
    # What the page's script writes: the live status line and the chart.
    expect(page.locator("#live-status")).to_contain_text("실시간")
    expect(page.locator("#chart")).to_contain_text("감정 (−1 … +1)")
    expect(page.locator("#chart title").first).to_contain_text("1번째 턴")
    expect(page.locator("#chart title").last).to_contain_text("다시 문의해야 했다고 함")
    screenshot(page, "desk-korean-conversation")
    assert left_in_english(page) == []
    assert blocking_violations(page) == []

    page.fill("#reply-text", "확인해 볼게요.")
    page.click("#send")
    expect(page.locator("p.notice.info[role=status]")).to_contain_text("답장을 보냈")
    assert left_in_english(page) == []

    # The same page in English shows those texts: the check above can fail.
    AgentLanguages(connect(desk.settings.redis_url)).set("alex", "en")
    page.reload()
    assert {"Was handing over needed?", "Transfer to another agent"} <= set(left_in_english(page))
    page.context.close()
