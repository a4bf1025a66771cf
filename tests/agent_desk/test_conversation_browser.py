"""The conversation page in chromium as an agent reads it after a refund flow: the customer's
button presses by their titles, and the customer panel telling this conversation from earlier
ones, with the email the customer proved marked verified. axe-scanned at both sizes;
screenshots: desk-conversation-buttons-<size>.png."""

from __future__ import annotations

from dataclasses import replace

import pytest
from playwright.sync_api import Browser, expect

from contract import keys
from harness.ticket_helpers import draft
from tests.agent_desk.browser_helpers import signed_in
from tests.agent_desk.desk_helpers import T0, DeskUnderTest
from tests.pages import SIZES, blocking_violations, overflows_horizontally, screenshot
from tickets.store import connect

ANA = {
    "sender_id": "web-ana",
    "email": "ana@example.com",
    "order_number": "10003",
    "verified_email": "ana@example.com",
    "proven_order": "10003",
    "conversation": "web-ana@1800000000",
}


@pytest.mark.parametrize("size_name", list(SIZES))
def test_button_presses_read_as_titles_and_the_panel_tells_now_from_before(
    served: tuple[DeskUnderTest, str], browser: Browser, size_name: str
) -> None:
    desk, base_url = served
    ticket, _ = desk.store.open_ticket(replace(draft("web-ana", created_at=T0), customer=ANA))
    desk.rasa.events["web-ana"].extend(
        [
            {"event": "user", "text": "I want a refund for 10003", "timestamp": T0 - 60},
            {
                "event": "bot",
                "text": "Shall I create a refund of 24.00 GBP for order 10003?",
                "timestamp": T0 - 59,
                "data": {
                    "buttons": [
                        {"title": "Yes, create it", "payload": "/affirm"},
                        {"title": "No", "payload": "/deny"},
                    ]
                },
            },
            {"event": "user", "text": "/affirm", "timestamp": T0 - 50},
            {"event": "bot", "text": "Refund RF-AB12CD created.", "timestamp": T0 - 49},
            {"event": "user", "text": "/request_human", "timestamp": T0 - 40},
        ]
    )
    client = connect(desk.settings.redis_url)
    client.zadd(keys.contacts("sender", "web-ana"), {"request_refund|10003|web-ana@1800000000": T0})
    client.zadd(keys.contacts("email", "ana@example.com"), {"delivery|10003|slack-ana@1": T0 - 9e4})
    page = signed_in(browser, base_url, SIZES[size_name])
    page.goto(f"{base_url}/tickets/{ticket.reference}")

    customer = page.locator("#transcript li.customer")
    expect(customer.nth(1)).to_contain_text("Yes, create it")
    expect(customer.nth(1).locator(".pressed")).to_have_text("pressed")
    expect(page.locator("#transcript")).not_to_contain_text("/affirm")
    expect(customer.nth(2)).to_contain_text("[pressed a button: request human]")
    expect(page.locator("#customer-email")).to_contain_text("verified")
    expect(page.locator("#customer-email")).not_to_contain_text("not verified")
    expect(page.locator("#customer-this-conversation")).to_contain_text("About request refund")
    expect(page.locator("#customer-contacts li")).to_have_count(1)
    expect(page.locator("#customer-contacts")).to_contain_text("from another chat or channel")
    screenshot(page, "desk-conversation-buttons")
    assert blocking_violations(page) == []
    assert not overflows_horizontally(page)
    page.close()
