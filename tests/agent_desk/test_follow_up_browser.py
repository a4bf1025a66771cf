"""The email follow-up end to end, in chromium against the whole system and a real local SMTP
server (aiosmtpd): a web-chat customer waiting for a person leaves an email with an explicit
yes and closes the page; the agent replies on the desk; the mail server is down at first, so
the desk shows the email as not sent and retries it; once the server is up, the email arrives
with the reply and a signed link; the link opens the widget in a fresh browser on the same
conversation, the reply in it; a changed or expired link is refused with a clear message.

Screenshots: widget-email-step-1280x800.png, widget-email-step-390x844.png,
desk-follow-up-1280x800.png, widget-resumed-390x844.png.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from contract.resume_links import QUERY_PARAMETER, ResumeLinks
from harness.helpers import free_port
from harness.stacks import private_env, running_stack
from harness.ticket_helpers import write_desk_config
from launcher.settings import load_stack_settings
from launcher.stack import Stack
from tests.agent_desk.test_follow_up_mail import LocalSmtp
from tests.pages import DESKTOP, PHONE, blocking_violations, screenshot
from tickets.store import TicketStore, connect

LINK_SECRET = "follow-up-browser-test-secret"
CUSTOMER_EMAIL = "pat@example.org"
REPLY = "Hi, this is Alex. The carrier picks your parcel up again tomorrow morning."
UI_TIMEOUT_MS = 60_000


@pytest.fixture
def smtp() -> Iterator[LocalSmtp]:
    """The mail server's port; nothing listens there until the test starts it."""
    server = LocalSmtp(free_port())
    yield server
    server.stop()


@pytest.fixture
def system(tmp_path: Path, smtp: LocalSmtp) -> Iterator[Stack]:
    """The whole system, its desk sending mail to the local SMTP server (retry after 2 s)."""
    env = private_env(tmp_path / "var", "follow-up-token") | {"WIDGET_SESSION_SECRET": LINK_SECRET}
    environ = {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp.port),
        "SMTP_TLS": "none",
        "MAIL_FROM": "support@shop.example",
        "MAIL_RETRY_SECONDS": "2",
        "DESK_CONFIG": str(
            write_desk_config(
                tmp_path / "desk.yml", unclaimed_check_every_seconds=0.5, refresh_seconds=1
            )
        ),
    }
    with running_stack(load_stack_settings(env), environ) as stack:
        yield stack


def web_url(stack: Stack) -> str:
    return f"http://{stack.settings.host}:{stack.settings.web_port}/"


def conversation_in(page: Page, stack: Stack) -> str:
    """The conversation id the widget holds (its signed session id without the signature)."""
    key = f"cs-widget:{stack.settings.rasa_url}:session"
    value = page.evaluate("key => window.localStorage.getItem(key)", key)
    assert value, "the widget holds no conversation"
    return str(value).split(".")[0]


def leave_email(browser: Browser, stack: Stack) -> str:
    """The customer asks for a person, leaves an email (consent first refused, then given),
    screenshots the step at both sizes and leaves. Returns the conversation id."""
    page = browser.new_context(viewport=DESKTOP).new_page()
    page.set_default_timeout(UI_TIMEOUT_MS)
    page.goto(web_url(stack))
    page.locator("[data-cs=launcher]").click()
    page.locator("[data-cs=input]").fill("I want to speak to a person")
    page.locator("[data-cs=send]").click()
    expect(page.locator("[data-cs=status]")).to_contain_text("Waiting for a person")
    step = page.locator("[data-cs=follow-up]")
    expect(step).to_be_visible()
    step.locator("summary").click()
    page.fill("[data-cs=follow-up-email]", CUSTOMER_EMAIL)
    page.click("[data-cs=follow-up-send]")
    message = page.locator("[data-cs=follow-up-message]")
    expect(message).to_have_text("Tick the box to agree that we email you the reply.")
    page.check("[data-cs=follow-up-consent]")
    screenshot(page, "widget-email-step", full_page=False)
    page.set_viewport_size(PHONE)
    screenshot(page, "widget-email-step", full_page=False)
    assert blocking_violations(page) == []
    page.click("[data-cs=follow-up-send]")
    expect(message).to_contain_text(f"We will email the reply to {CUSTOMER_EMAIL}")
    conversation = conversation_in(page, stack)
    page.context.close()
    return conversation


def reply_on_the_desk(browser: Browser, stack: Stack, conversation: str) -> Page:
    """Alex signs in, claims the ticket, sees the customer's email and replies."""
    page = browser.new_context(viewport=DESKTOP).new_page()
    page.set_default_timeout(UI_TIMEOUT_MS)
    page.goto(f"{stack.settings.desk_url}/login")
    page.fill("input[name=username]", "alex")
    page.fill("input[name=password]", "demo-password")
    page.click("button[type=submit]")
    ticket = TicketStore(connect(stack.settings.redis.url), 0.0).open_for_conversation(conversation)
    assert ticket is not None, "the handoff opened no ticket"
    page.goto(f"{stack.settings.desk_url}/tickets/{ticket.reference}")
    page.click("#claim")
    expect(page.locator("#follow-up")).to_contain_text(CUSTOMER_EMAIL)
    page.fill("#reply-text", REPLY)
    page.click("#send")
    expect(page.locator("body")).to_contain_text(f"queued for email to {CUSTOMER_EMAIL}")
    return page


def reload_until(page: Page, selector: str, text: str, tries: int = 60) -> None:
    """Reloads the page (the mail state is drawn by the server) until `selector` shows `text`."""
    for _ in range(tries):
        page.reload()
        if text in (page.locator(selector).text_content() or ""):
            return
        page.wait_for_timeout(500)
    raise AssertionError(f"{selector} never showed {text!r}: {page.locator(selector).inner_text()}")


def link_in_mail(smtp: LocalSmtp, tries: int = 60) -> str:
    for _ in range(tries):
        if smtp.inbox.messages:
            break
        time.sleep(0.5)
    [message] = smtp.inbox.messages
    assert message["To"] == CUSTOMER_EMAIL
    body = message.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert REPLY in body
    return next(word for word in body.split() if QUERY_PARAMETER in word)


def open_link(browser: Browser, link: str) -> Page:
    """A fresh browser (no stored conversation) opening the link, phone-sized."""
    page = browser.new_context(viewport=PHONE).new_page()
    page.set_default_timeout(UI_TIMEOUT_MS)
    page.goto(link)
    expect(page.locator("[data-cs=panel]")).to_be_visible()
    return page


def test_the_reply_reaches_a_customer_who_left_by_email_and_the_link_brings_them_back(
    system: Stack, smtp: LocalSmtp, browser: Browser
) -> None:
    conversation = leave_email(browser, system)
    desk = reply_on_the_desk(browser, system, conversation)

    reload_until(desk, "#mails", "not sent yet")  # the mail server is down
    expect(desk.locator("#mails")).to_contain_text("ConnectionRefusedError")
    smtp.start()
    reload_until(desk, "#mails", "sent at")
    screenshot(desk, "desk-follow-up", full_page=False)
    link = link_in_mail(smtp)

    customer = open_link(browser, link)
    agent_message = customer.locator("[data-cs=message][data-from=agent]").last
    expect(agent_message).to_contain_text(REPLY)
    expect(customer.locator("[data-cs=status]")).to_contain_text("Alex from the support team")
    assert conversation_in(customer, system) == conversation
    assert QUERY_PARAMETER not in customer.url, "a reload would open the link again"
    screenshot(customer, "widget-resumed", full_page=False)

    token = parse_qs(urlsplit(link).query)[QUERY_PARAMETER][0]
    changed = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    refused = open_link(browser, link.replace(token, changed))
    expect(refused.locator("[data-cs=alert]")).to_contain_text("This link is not valid")
    expect(refused.locator("[data-cs=message][data-from=agent]")).to_have_count(0)

    week_ago = time.time() - 8 * 86400
    old = ResumeLinks(LINK_SECRET, 7 * 86400, clock=lambda: week_ago).token(conversation)
    expired = open_link(browser, link.replace(token, old))
    expect(expired.locator("[data-cs=alert]")).to_contain_text("This link has expired")
    expect(expired.locator("[data-cs=message][data-from=agent]")).to_have_count(0)
