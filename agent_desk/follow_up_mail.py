"""The agent's reply by email, for a web-chat customer who asked for it and may have left.

When the holder replies (Desk.reply) and the customer left an email with their yes
(contract/follow_up.py), the reply is queued as an email (agent_desk/mail_outbox.py) with a
signed link back to the same conversation (contract/resume_links.py); `MailSender`, a thread
of the desk process, sends what is due. Slack and Telegram customers get replies in their
own channel and are never emailed: only the web widget asks for an address. The email's own
words around the agent's reply follow the conversation's language (`WORDING`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from email.message import EmailMessage
from urllib.parse import urlencode, urlsplit, urlunsplit

import redis

from agent_desk.mail_outbox import Mail, MailOutbox
from agent_desk.mail_settings import MailSettings
from agent_desk.mailer import Mailer, MailNotSent
from contract.follow_up import FollowUp, key
from contract.language import ENGLISH, KOREAN
from contract.resume_links import QUERY_PARAMETER, ResumeLinks

logger = logging.getLogger(__name__)

# Language -> (subject, body) around the agent's words; placeholders: reference, agent, text,
# link, days. Korean in polite 해요체; "님의" needs no particle chosen by the agent's name.
WORDING: dict[str, tuple[str, str]] = {
    ENGLISH: (
        "Reply to your chat ({reference})",
        "Hello,\n\n{agent} from the support team replied to your chat "
        "(ticket {reference}):\n\n{text}\n\n"
        "To answer, or to read the whole conversation, open:\n{link}\n"
        "This link works for {days} days and only for this conversation; "
        "do not forward it.\n\n"
        "You get this email because you asked in the chat for the reply by email.\n",
    ),
    KOREAN: (
        "채팅 문의에 답변이 도착했어요 ({reference})",
        "안녕하세요.\n\n채팅으로 문의하신 내용(접수 번호 {reference})에 상담원 {agent} 님의 "
        "답변이 도착했어요.\n\n{text}\n\n"
        "답장하시거나 대화 전체를 보시려면 아래 링크를 열어 주세요.\n{link}\n"
        "이 링크는 {days}일 동안 이 대화에서만 쓸 수 있어요. 다른 분께 전달하지 마세요.\n\n"
        "채팅에서 답변을 이메일로 받겠다고 하셔서 보내 드리는 메일이에요.\n",
    ),
}


def link_to(page_url: str, token: str) -> str:
    """The widget page's URL with the token in its query (other query parameters kept)."""
    parts = urlsplit(page_url)
    query = "&".join(q for q in (parts.query, urlencode({QUERY_PARAMETER: token})) if q)
    return urlunsplit(parts._replace(query=query))


class FollowUpMail:
    """Queues a reply as an email when the conversation's customer asked for one."""

    def __init__(
        self, client: redis.Redis, outbox: MailOutbox, links: ResumeLinks, settings: MailSettings
    ) -> None:
        """`client` decodes responses to str (tickets.store.connect)."""
        self._redis = client
        self.outbox = outbox
        self._links = links
        self._settings = settings

    def request(self, conversation_id: str) -> FollowUp | None:
        """The customer's request for replies by email, if they made one."""
        return FollowUp.from_hash(self._redis.hgetall(key(conversation_id)))

    def queue_reply(
        self,
        reference: str,
        conversation_id: str,
        agent_name: str,
        text: str,
        now: float,
        language: str = ENGLISH,
    ) -> str | None:
        """Queues the reply for the customer's email, framed in the conversation's `language`;
        returns the address, or None when the customer asked for no email."""
        request = self.request(conversation_id)
        if request is None:
            return None
        subject, body = WORDING.get(language, WORDING[ENGLISH])
        values = {
            "reference": reference,
            "agent": agent_name,
            "text": text,
            "link": link_to(self._settings.widget_page_url, self._links.token(conversation_id)),
            "days": round(self._links.max_age_s / 86400),
        }
        subject, body = subject.format(**values), body.format(**values)
        self.outbox.queue(reference, request.email, subject, body, now)
        return request.email

    def message(self, mail: Mail) -> EmailMessage:
        """The email as it goes out."""
        message = EmailMessage()
        message["From"] = self._settings.sender
        message["To"] = mail.to
        message["Subject"] = mail.subject
        message.set_content(mail.body)
        return message


class MailSender(threading.Thread):
    """Sends due follow-up emails every `interval_s` seconds until stopped (a daemon)."""

    def __init__(
        self,
        follow_up: FollowUpMail,
        mailer: Mailer,
        interval_s: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Nothing is sent before start()."""
        super().__init__(name="mail-sender", daemon=True)
        self._follow_up = follow_up
        self._mailer = mailer
        self._interval_s = interval_s
        self._clock = clock
        self._stopped = threading.Event()

    def send_due(self) -> int:
        """Sends every email due now; returns how many were handed to the mail server."""
        sent = 0
        outbox = self._follow_up.outbox
        while (mail := outbox.take_due(self._clock())) is not None:
            try:
                self._mailer.send(self._follow_up.message(mail))
            except MailNotSent as error:
                logger.warning("follow-up email for %s not sent: %s", mail.reference, error)
                outbox.not_sent(mail, str(error), self._clock())
                continue
            outbox.sent(mail, self._clock())
            sent += 1
        return sent

    def run(self) -> None:
        """One pass per interval; a Redis outage is logged and retried next time."""
        while not self._stopped.wait(self._interval_s):
            try:
                self.send_due()
            except redis.RedisError as error:
                logger.warning("follow-up emails not checked: %s", error)

    def stop(self) -> None:
        """Ends the loop after the current pass."""
        self._stopped.set()
