"""The web widget through the balancer: replies sent by the other Rasa server reach it.

The widget's socket stays on the instance the balancer chose; the agent's join, reply and
hand-back are sent through the other instance's HTTP API, as a desk talking to another
replica would.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from playwright.sync_api import Browser, expect

from agent_desk.accounts import Agent
from agent_desk.app import build
from agent_desk.settings import load_desk_settings
from launcher.balancer import SERVED_BY_HEADER
from tests.addons.channels.test_widget import (
    ANSWER_TIMEOUT_MS,
    last_message_from,
    open_chat,
    session_id,
)
from tests.addons.channels.test_widget import say as type_in
from tests.channel_system import AGENT_NAME, AgentAtDesk
from tests.pages import chromium
from tests.scale.conftest import ScaledSystem


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's chromium driven by Playwright (tests/pages.py)."""
    with chromium() as launched:
        yield launched


def socket_instance(system: ScaledSystem) -> str:
    """The instance the balancer gives this machine's socket.io sessions (by its address)."""
    response = requests.get(
        f"{system.rasa_url}/socket.io/", params={"EIO": "4", "transport": "polling"}, timeout=30
    )
    response.raise_for_status()
    return response.headers[SERVED_BY_HEADER]


def test_an_agent_reply_sent_through_the_other_instance_reaches_the_widget(
    scaled: ScaledSystem, browser: Browser
) -> None:
    holder = socket_instance(scaled)
    other = next(name for name in scaled.instance_urls if name != holder)
    # The desk's own code, talking to the Rasa instance that does not hold the widget's socket.
    _, desk_app = build(
        load_desk_settings(
            {
                **scaled.stack.env,
                "RASA_URL": scaled.instance_urls[other],
                # Secrets reach only the process that needs them: the test passes the token.
                "RASA_API_TOKEN": scaled.stack.settings.api_token,
            }
        )
    )
    desk = AgentAtDesk(desk_app, Agent("sam", AGENT_NAME))
    page = browser.new_page()
    open_chat(page, scaled)
    type_in(page, "where is order 10003?")
    expect(last_message_from(page, "assistant")).to_contain_text(
        "delayed", timeout=ANSWER_TIMEOUT_MS
    )
    type_in(page, "agent please")
    status = page.locator("[data-cs=status]")
    expect(status).to_contain_text("Waiting for a person", timeout=ANSWER_TIMEOUT_MS)
    conversation = session_id(page, scaled)
    desk.wait_until_handed_over(conversation)

    desk.join(conversation)
    expect(page.locator("[data-cs=notice]").last).to_contain_text(
        f"{AGENT_NAME} from our support team has joined"
    )
    desk.reply(conversation, "Sam here: your parcel leaves the depot tomorrow.")
    expect(last_message_from(page, "agent")).to_contain_text("leaves the depot tomorrow")

    desk.hand_back(conversation)
    expect(page.locator("[data-cs=notice]").last).to_contain_text(
        "back with the automated assistant"
    )
    type_in(page, "where is order 10001?")
    expect(last_message_from(page, "assistant")).to_contain_text(
        "on its way", timeout=ANSWER_TIMEOUT_MS
    )
    assert socket_instance(scaled) == holder
    page.close()
