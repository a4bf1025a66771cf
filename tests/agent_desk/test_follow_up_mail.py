"""Replies by email for web-chat customers who asked, through a real local SMTP server
(aiosmtpd): the email carries the reply and a signed link to the conversation; a send that
fails is kept, shown to the agent and retried; Slack and Telegram customers are not emailed."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from dataclasses import replace
from email.message import Message
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from aiosmtpd.controller import Controller
from flask.testing import FlaskClient

from agent_desk.app import follow_up_mail
from agent_desk.follow_up_mail import MailSender
from agent_desk.mail_outbox import FAILED, RETRYING, SENT
from agent_desk.mail_settings import MailSettings, load_mail_settings
from agent_desk.mailer import Mailer
from contract.follow_up import FollowUp, key
from contract.resume_links import QUERY_PARAMETER, ResumeLinks
from harness.helpers import free_port
from harness.ticket_helpers import draft
from tests.agent_desk.desk_helpers import DeskUnderTest, post
from tickets.store import connect

CUSTOMER_EMAIL = "pat@example.org"
REPLY = "Hi, this is Alex. Your parcel leaves the depot tomorrow."


class Inbox:
    """What the local SMTP server received (aiosmtpd's handler interface)."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
        self.messages.append(email.message_from_bytes(envelope.content))  # type: ignore[attr-defined]
        return "250 OK"


class LocalSmtp:
    """An aiosmtpd server on a fixed port, started and stopped by the test."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.inbox = Inbox()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp() -> Iterator[LocalSmtp]:
    """A local SMTP server's port, not yet listening (tests start it)."""
    server = LocalSmtp(free_port())
    yield server
    server.stop()


def mail_settings(port: int, tmp_path: Path) -> MailSettings:
    return load_mail_settings(
        {
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(port),
            "SMTP_TLS": "none",
            "MAIL_FROM": "support@shop.example",
            "MAIL_RETRY_SECONDS": "30",
            "MAIL_MAX_ATTEMPTS": "3",
            "WIDGET_PAGE_URL": "http://shop.example/help?lang=en",
            "VAR_DIR": str(tmp_path),
        }
    )


def web_chat_ticket(desk: DeskUnderTest, conversation: str, channel: str = "socketio") -> str:
    """A claimed web-chat ticket whose customer left an email for the reply."""
    ticket, _ = desk.store.open_ticket(replace(draft(conversation), channel=channel))
    desk.rasa.events[conversation].append({"event": "pause", "timestamp": desk.clock.now})
    connect(desk.settings.redis_url).hset(
        key(conversation), mapping=FollowUp(CUSTOMER_EMAIL, desk.clock.now).to_hash()
    )
    alex = desk.agent("alex")
    post(alex, f"/tickets/{ticket.reference}/claim", f"/tickets/{ticket.reference}")
    return ticket.reference


def sender_for(desk: DeskUnderTest, settings: MailSettings) -> MailSender:
    desk.desk.follow_up = follow_up_mail(connect(desk.settings.redis_url), settings)
    return MailSender(desk.desk.follow_up, Mailer(settings), 1.0, clock=desk.clock)


def replied(
    desk: DeskUnderTest, port: int, tmp_path: Path, conversation: str, channel: str = "socketio"
) -> tuple[MailSender, str, FlaskClient]:
    """Alex has replied to a customer who asked for the reply by email: the mail sender (not
    yet run), the ticket's reference and Alex's browser."""
    sender = sender_for(desk, mail_settings(port, tmp_path))
    reference = web_chat_ticket(desk, conversation, channel)
    alex = desk.agent("alex")
    post(alex, f"/tickets/{reference}/reply", f"/tickets/{reference}", text=REPLY)
    return sender, reference, alex


def test_a_reply_is_emailed_with_a_link_to_the_conversation(
    desk: DeskUnderTest, smtp: LocalSmtp, tmp_path: Path
) -> None:
    sender = sender_for(desk, mail_settings(smtp.port, tmp_path))
    reference = web_chat_ticket(desk, "0123456789abcdef0123456789abcdef")
    alex = desk.agent("alex")
    page = alex.get(f"/tickets/{reference}").get_data(True)
    assert f"asked for replies by email: <strong>{CUSTOMER_EMAIL}</strong>" in page
    answer = post(alex, f"/tickets/{reference}/reply", f"/tickets/{reference}", text=REPLY)
    assert answer.status_code == 303
    assert f"queued for email to {CUSTOMER_EMAIL}" in alex.get(f"/tickets/{reference}").get_data(
        True
    )
    smtp.start()
    assert sender.send_due() == 1
    [message] = smtp.inbox.messages
    assert message["To"] == CUSTOMER_EMAIL and message["From"] == "support@shop.example"
    body = message.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert REPLY in body and "Alex from the support team" in body
    link = next(word for word in body.split() if word.startswith("http://shop.example/help"))
    query = parse_qs(urlsplit(link).query)
    assert query["lang"] == ["en"]
    opened = ResumeLinks.from_environment()  # the desk's own key, as the Rasa server has it
    assert opened.conversation(query[QUERY_PARAMETER][0]) == "0123456789abcdef0123456789abcdef"
    [mail] = desk.desk.follow_up.outbox.for_ticket(reference)  # type: ignore[union-attr]
    assert mail.status == SENT
    assert "sent at" in alex.get(f"/tickets/{reference}").get_data(True)
    assert sender.send_due() == 0, "an email went out twice"


def test_a_korean_conversation_gets_the_email_framed_in_korean(
    desk: DeskUnderTest, smtp: LocalSmtp, tmp_path: Path
) -> None:
    conversation = "0123456789abcdef0123456789abcde0"
    desk.rasa.events[conversation].append({"event": "slot", "name": "language", "value": "ko"})
    sender, reference, _ = replied(desk, smtp.port, tmp_path, conversation)
    smtp.start()
    assert sender.send_due() == 1
    [message] = smtp.inbox.messages
    subject = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)["Subject"]
    assert subject == f"채팅 문의에 답변이 도착했어요 ({reference})"
    body = message.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert REPLY in body and "상담원 Alex 님의 답변이 도착했어요" in body
    assert "support team" not in body and "http://shop.example/help" in body


def test_a_failed_send_is_shown_and_retried_until_it_goes_out(
    desk: DeskUnderTest, smtp: LocalSmtp, tmp_path: Path
) -> None:
    sender, reference, alex = replied(desk, smtp.port, tmp_path, "fedcba9876543210fedcba9876543210")
    assert sender.send_due() == 0  # nothing listens on the port yet
    outbox = desk.desk.follow_up.outbox  # type: ignore[union-attr]
    [mail] = outbox.for_ticket(reference)
    assert mail.status == RETRYING and mail.attempts == 1
    assert "ConnectionRefusedError" in mail.last_error
    page = alex.get(f"/tickets/{reference}").get_data(True)
    assert "not sent yet" in page and "trying again at" in page
    smtp.start()
    assert sender.send_due() == 0, "retried before its time"
    desk.clock.now += 31
    assert sender.send_due() == 1
    assert len(smtp.inbox.messages) == 1
    assert outbox.for_ticket(reference)[0].status == SENT


def test_the_agent_is_told_when_the_email_is_given_up(
    desk: DeskUnderTest, smtp: LocalSmtp, tmp_path: Path
) -> None:
    sender, reference, alex = replied(desk, smtp.port, tmp_path, "00000000000000000000000000000001")
    for _ in range(3):  # MAIL_MAX_ATTEMPTS
        sender.send_due()
        desk.clock.now += 600
    [mail] = desk.desk.follow_up.outbox.for_ticket(reference)  # type: ignore[union-attr]
    assert mail.status == FAILED and mail.attempts == 3
    assert "reach the customer another way" in alex.get(f"/tickets/{reference}").get_data(True)


@pytest.mark.parametrize("channel", ["slack", "telegram"])
def test_slack_and_telegram_customers_get_the_reply_in_their_channel_only(
    desk: DeskUnderTest, smtp: LocalSmtp, tmp_path: Path, channel: str
) -> None:
    sender, reference, alex = replied(
        desk, smtp.port, tmp_path, "00000000000000000000000000000002", channel
    )
    smtp.start()
    assert sender.send_due() == 0 and smtp.inbox.messages == []
    assert desk.rasa.events["00000000000000000000000000000002"][-1]["text"] == REPLY


def test_without_a_mail_server_emails_go_to_a_local_maildir(tmp_path: Path) -> None:
    settings = load_mail_settings({"VAR_DIR": str(tmp_path)})
    assert settings.host == "" and settings.maildir == tmp_path / "mail"
    message = email.message.EmailMessage()
    message["To"] = CUSTOMER_EMAIL
    message.set_content(REPLY)
    Mailer(settings).send(message)
    [stored] = list((tmp_path / "mail" / "new").iterdir())
    assert REPLY in stored.read_text()


def test_a_mail_server_needs_a_sender() -> None:
    with pytest.raises(SystemExit, match="MAIL_FROM"):
        load_mail_settings({"SMTP_HOST": "mail.example"})
