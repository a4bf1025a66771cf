"""What the desk's browser tests share: tickets to look at and an agent signed in in chromium.

The desk runs in a thread of the test process (fixture `served` in conftest.py) on a real
Redis and the real shop, with the loopback Rasa stand-in, so each test starts in a second.
Each `signed_in` page is a browser context of its own: two of them are two agents.
"""

from __future__ import annotations

import json
from typing import Any

from playwright.sync_api import Browser, Page, expect

from contract import keys
from tests.agent_desk.desk_helpers import PASSWORD, T0, DeskUnderTest
from tickets.store import connect

UI_TIMEOUT_MS = 20_000


def open_tickets(desk: DeskUnderTest) -> tuple[str, str]:
    """T-00001 held by Alex (REST, frustrated), T-00002 waiting (web chat)."""
    held = desk.ticket("cust-1", reason="frustration", frustration=0.8)
    waiting = desk.ticket("0123456789abcdef0123456789abcdef", order_number="")
    client = connect(desk.settings.redis_url)
    client.hset(keys.ticket(waiting), "channel", "socketio")
    turns = [
        {
            "ts": T0 - 100,
            "text": "where is it",
            "sentiment": -0.2,
            "frustration": 0.3,
            "smoothed": 0.3,
            "level": "annoyed",
            "reasons": ["negative"],
        },
        {
            "ts": T0 - 98,
            "text": "USELESS",
            "sentiment": -0.6,
            "frustration": 0.9,
            "smoothed": 0.7,
            "level": "frustrated",
            "reasons": ["capitals"],
        },
    ]
    client.rpush(keys.turns("cust-1"), *[json.dumps(t) for t in turns])
    desk.store.claim(held, "alex", "Alex", T0)
    return held, waiting


def signed_in(
    browser: Browser,
    base_url: str,
    size: dict[str, int],
    username: str = "alex",
    heading: str = "Queue",
    **context: Any,
) -> Page:
    """A page of a fresh browser context (its own cookies), signed in as `username`, on the
    queue (`heading`: its title in the agent's language)."""
    page = browser.new_context(viewport=size, **context).new_page()
    page.set_default_timeout(UI_TIMEOUT_MS)
    page.goto(f"{base_url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_contain_text(heading)
    return page
