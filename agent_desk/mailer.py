"""The desk's one client of the mail server: SMTP with a timeout, or the local Maildir.

Everything about talking to the mail server (TLS, sign-in, timeouts, which errors mean "try
again later") is here; the outbox (agent_desk/mail_outbox.py) only hears that a send worked
or why it did not. Blocking calls: only the mail-sender thread makes them, never a request.
"""

from __future__ import annotations

import mailbox
import smtplib
import ssl
from email.message import EmailMessage

from agent_desk.mail_settings import MailSettings


class MailNotSent(Exception):
    """The message was not handed to the mail server; the text says why, for the agent."""


class Mailer:
    """Sends one message at a time with the configured transport."""

    def __init__(self, settings: MailSettings) -> None:
        """Nothing is contacted until the first send."""
        self._settings = settings

    def describe(self) -> str:
        """Where mail goes, for the desk's start-up line."""
        if not self._settings.host:
            return f"follow-up emails are written to {self._settings.maildir} (no SMTP_HOST)"
        return f"follow-up emails go to {self._settings.host}:{self._settings.port}"

    def send(self, message: EmailMessage) -> None:
        """Hands `message` over, or raises MailNotSent."""
        if not self._settings.host:
            self._settings.maildir.parent.mkdir(parents=True, exist_ok=True)
            mailbox.Maildir(self._settings.maildir, create=True).add(message)
            return
        try:
            with self._connect() as smtp:
                if self._settings.user:
                    smtp.login(self._settings.user, self._settings.password)
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            raise MailNotSent("the mail server refused the customer's address") from error
        except smtplib.SMTPAuthenticationError as error:
            raise MailNotSent("the mail server refused SMTP_USER / SMTP_PASSWORD") from error
        except (smtplib.SMTPException, OSError) as error:
            raise MailNotSent(
                f"the mail server at {self._settings.host}:{self._settings.port} did not take "
                f"it ({type(error).__name__}: {error})"
            ) from error

    def _connect(self) -> smtplib.SMTP:
        settings = self._settings
        if settings.tls == "ssl":
            return smtplib.SMTP_SSL(
                settings.host,
                settings.port,
                timeout=settings.timeout_s,
                context=ssl.create_default_context(),
            )
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_s)
        if settings.tls == "starttls":
            try:
                smtp.starttls(context=ssl.create_default_context())
            except (smtplib.SMTPException, OSError):
                smtp.close()
                raise
        return smtp
