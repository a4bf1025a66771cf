"""The website chat widget in a real browser, against the running system.

A customer on the demo shop page asks where a parcel is, reloads the page without losing the
conversation, gets upset and is handed to a person, hears from the person (pushed through
Rasa's HTTP API while the page waits, "Sam is writing..." before it), and gets the assistant
back. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from urllib.parse import urlsplit

import socketio
from playwright.sync_api import Browser, Page, expect

from addons.channels.webchat import WebChatOutput
from agent_desk.accounts import Agent
from agent_desk.typing_signal import TypingSignal
from contract import keys
from tests.channel_system import AGENT_NAME, ChannelSystem

# Rasa answers in well under a second alone; the shared 2-core machine can be much slower.
ANSWER_TIMEOUT_MS = 60_000


# A customer losing patience: "I've asked twice already" claims earlier contact, which hands
# over at once as repeated contact (config/handoff.yml).
UPSET_CUSTOMER = (
    "that's not good enough, it was promised for last week",
    "I've asked twice already and nobody answers!!",
    "UNACCEPTABLE. this service is useless.",
)


def handed_over(page: Page) -> bool:
    """Whether the widget says the conversation waits for a person."""
    return "Waiting for a person" in (page.locator("[data-cs=status]").text_content() or "")


def open_chat(page: Page, system: ChannelSystem) -> None:
    """The shop page with the chat panel open."""
    page.goto(system.web_url)
    page.locator("[data-cs=launcher]").click()
    expect(page.locator("[data-cs=panel]")).to_be_visible()


def say(page: Page, text: str) -> None:
    """Types a message and sends it, as a customer does."""
    page.locator("[data-cs=input]").fill(text)
    page.locator("[data-cs=send]").click()


def last_message_from(page: Page, speaker: str):
    """The newest bubble from `assistant`, `agent` or `customer`."""
    return page.locator(f"[data-cs=message][data-from={speaker}]").last


def signed_session_id(page: Page, system: ChannelSystem) -> str:
    """The signed session id the widget keeps in localStorage (addons/channels/session_ids.py)."""
    key = f"cs-widget:{system.rasa_url}:session"
    value = page.evaluate("key => window.localStorage.getItem(key)", key)
    assert value, "the widget did not store a session id"
    return value


def session_id(page: Page, system: ChannelSystem) -> str:
    """The conversation id (Rasa's sender id): the signed id without its signature."""
    return signed_session_id(page, system).split(".")[0]


def ask_for_a_person(page: Page, system: ChannelSystem, words: str, card: str) -> str:
    """Sends `words`, sees the handover card holding `card`, and has the desk's person claim the
    conversation once Rasa stored the turn; the conversation id."""
    say(page, words)
    handover = page.locator("[data-cs=message].cs-system").last
    expect(handover).to_contain_text(card, timeout=ANSWER_TIMEOUT_MS)
    conversation = session_id(page, system)
    system.desk.wait_until_handed_over(conversation)
    system.desk.join(conversation)
    return conversation


def test_web_customer_gets_answers_a_person_and_the_assistant_back(
    channel_system: ChannelSystem, browser: Browser, artifacts: Path
) -> None:
    page = browser.new_page()
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname))
    open_chat(page, channel_system)

    say(page, "where is order 10003?")
    expect(last_message_from(page, "assistant")).to_contain_text(
        "delayed", timeout=ANSWER_TIMEOUT_MS
    )
    page.screenshot(path=artifacts / "widget-1-delivery-answer.png")

    conversation = session_id(page, channel_system)
    page.reload()
    expect(page.locator("[data-cs=panel]")).to_be_visible()
    expect(last_message_from(page, "customer").locator(".cs-text")).to_have_text(
        "where is order 10003?"
    )
    expect(last_message_from(page, "assistant")).to_contain_text("delayed")
    assert session_id(page, channel_system) == conversation

    for upset in UPSET_CUSTOMER:
        if handed_over(page):
            break
        answers = page.locator("[data-cs=message][data-from=assistant]").count()
        say(page, upset)
        page.wait_for_function(
            "n => document.querySelectorAll('[data-cs=message][data-from=assistant]').length > n",
            arg=answers,
            timeout=ANSWER_TIMEOUT_MS,
        )
    status = page.locator("[data-cs=status]")
    expect(status).to_contain_text("Waiting for a person", timeout=ANSWER_TIMEOUT_MS)
    # The page shows the handoff message before Rasa has stored the turn: wait for the desk.
    channel_system.desk.wait_until_handed_over(conversation)
    reason = channel_system.desk.tracker(conversation)["slots"]["handoff_reason"]
    assert reason == "repeated_contact"
    handover = page.locator("[data-cs=message].cs-system")
    expect(handover.first).to_contain_text("Handing over to a person")
    page.screenshot(path=artifacts / "widget-2-handed-over.png")

    channel_system.desk.join(conversation)
    joined = f"{AGENT_NAME} from our support team has joined"
    expect(page.locator("[data-cs=notice]").last).to_contain_text(joined)
    # Named as soon as they claim, before their first reply.
    expect(status).to_contain_text(f"{AGENT_NAME} from the support team")
    # The desk signals while Sam types (agent_desk/typing_signal.py); the reply ends it.
    TypingSignal(channel_system.settings.redis.url).agent_typing(conversation, AGENT_NAME)
    typing = page.locator("[data-cs=typing]")
    expect(typing).to_have_text(f"{AGENT_NAME} is writing…")
    expect(typing).to_be_visible()
    reply = "Hi, I'm Sam. The carrier confirmed your parcel leaves the depot tomorrow."
    channel_system.desk.reply(conversation, reply)
    expect(typing).to_be_hidden()
    agent_message = last_message_from(page, "agent")
    expect(agent_message).to_contain_text(reply)
    expect(agent_message).to_contain_text(f"{AGENT_NAME} · support team")
    expect(page.locator("[data-cs=status]")).to_contain_text(f"{AGENT_NAME} from the support team")
    expect(page.locator("[data-cs=notice]", has_text="joined")).to_have_count(1)
    page.screenshot(path=artifacts / "widget-3-agent-reply.png")

    # Sam passes the conversation to Alex at the desk: the customer is told who is with them.
    colleague = channel_system.desk.transfer(conversation, Agent("alex", "Alex"))
    expect(page.locator("[data-cs=notice]").last).to_contain_text(
        "Alex from our support team has joined and can see this conversation."
    )
    expect(status).to_contain_text("Alex from the support team")
    page.screenshot(path=artifacts / "widget-3b-transferred.png")

    colleague.hand_back(conversation)
    expect(page.locator("[data-cs=notice]").last).to_contain_text(
        "back with the automated assistant"
    )
    expect(page.locator("[data-cs=status]")).to_contain_text("Automated assistant")
    expect(page.locator("[data-cs=notice]", has_text="back")).to_have_count(1)
    say(page, "where is order 10001?")
    expect(last_message_from(page, "assistant")).to_contain_text(
        "on its way", timeout=ANSWER_TIMEOUT_MS
    )
    page.screenshot(path=artifacts / "widget-4-assistant-back.png")

    # Everything the page loaded came from this machine: the shop page, the widget, Rasa.
    assert hosts == {channel_system.settings.host}
    page.close()


def test_buttons_other_servers_and_replies_while_away_reach_the_customer(
    channel_system: ChannelSystem, browser: Browser, artifacts: Path
) -> None:
    customer = browser.new_context()
    page = customer.new_page()
    open_chat(page, channel_system)
    say(page, "please cancel order 10005")
    expect(last_message_from(page, "assistant")).to_contain_text(
        "email address", timeout=ANSWER_TIMEOUT_MS
    )
    say(page, "carol@example.com")
    keep = page.locator("[data-cs=reply-button]", has_text="No, keep it")
    expect(keep).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    page.screenshot(path=artifacts / "widget-5-buttons.png")
    keep.click()
    expect(last_message_from(page, "customer").locator(".cs-text")).to_have_text("No, keep it")
    expect(last_message_from(page, "assistant")).to_contain_text(
        "stays as it is", timeout=ANSWER_TIMEOUT_MS
    )
    expect(keep).to_be_disabled()

    say(page, "agent please")
    status = page.locator("[data-cs=status]")
    expect(status).to_contain_text("Waiting for a person", timeout=ANSWER_TIMEOUT_MS)
    conversation = session_id(page, channel_system)

    # What a second Rasa server does for `output_channel=latest`: emit through Redis, which
    # the server holding this page's socket delivers.
    send_as_another_rasa_server(
        channel_system.settings.redis.url,
        conversation,
        {"text": "Sam here, from the other office.", "agent": AGENT_NAME},
    )
    expect(last_message_from(page, "agent")).to_contain_text("from the other office")
    joined = f"{AGENT_NAME} from the support team has joined"
    expect(page.locator("[data-cs=notice]").last).to_contain_text(joined)

    # The customer closes the tab; the person's next reply is waiting when they come back.
    page.close()
    channel_system.desk.join(conversation)
    channel_system.desk.reply(conversation, "I've emailed you a new delivery slot.")
    page = customer.new_page()
    open_chat(page, channel_system)
    expect(last_message_from(page, "agent")).to_contain_text("emailed you a new delivery slot")
    expect(page.locator("[data-cs=status]")).to_contain_text(f"{AGENT_NAME} from the support team")

    # A hand-back message without its response name still shows the assistant is back.
    channel_system.desk.hand_back_unlabelled(conversation)
    expect(page.locator("[data-cs=notice] .cs-text").last).to_have_text(
        "The automated assistant is back."
    )
    expect(page.locator("[data-cs=status]")).to_contain_text("Automated assistant")
    page.screenshot(path=artifacts / "widget-6-other-server-and-back.png")
    customer.close()


def send_as_another_rasa_server(redis_url: str, conversation_id: str, message: dict) -> None:
    """Runs the widget's output channel on a write-only socket.io server sharing our Redis."""

    async def send() -> None:
        manager = socketio.AsyncRedisManager(
            redis_url, channel=keys.SOCKETIO_CHANNEL, write_only=True
        )
        server = socketio.AsyncServer(client_manager=manager)
        await WebChatOutput(server, "bot_uttered").send_response(conversation_id, dict(message))

    # Playwright's sync API owns this thread's event loop; asyncio gets a thread of its own.
    errors: list = []
    worker = threading.Thread(target=lambda: _run(send, errors))
    worker.start()
    worker.join(timeout=30)
    assert not errors, errors


def _run(coroutine_function, errors: list) -> None:
    try:
        asyncio.run(coroutine_function())
    except Exception as error:  # noqa: BLE001 - reported by the test thread
        errors.append(error)
