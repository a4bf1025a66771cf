"""Where the desk sends follow-up emails: the one place it reads the mail environment.

SMTP_HOST names a mail server; without it the desk writes each email into a local Maildir
(VAR_DIR/mail), which works on one laptop with nothing installed and is easy to read. A
server needs MAIL_FROM (the sender the customer sees); SMTP_USER and SMTP_PASSWORD are
optional, secret and come from the environment only (.env, never a file in the repository).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from settings.env import PROJECT_ROOT, Env, SettingsError

TLS_MODES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


@dataclass(frozen=True)
class MailSettings:
    """An SMTP server (host set) or the local Maildir (host empty), and the retry policy."""

    host: str
    port: int
    tls: str
    user: str
    password: str
    sender: str
    timeout_s: float
    maildir: Path
    # Where the link in an email opens the widget: the shop page that carries it.
    widget_page_url: str
    retry_first_s: float
    max_attempts: int


def load_mail_settings(environ: Mapping[str, str] | None = None) -> MailSettings:
    """SMTP_HOST, SMTP_PORT, SMTP_TLS, SMTP_USER, SMTP_PASSWORD, MAIL_FROM, SMTP_TIMEOUT,
    WIDGET_PAGE_URL, MAIL_RETRY_SECONDS, MAIL_MAX_ATTEMPTS (README's configuration table)."""
    env = Env(environ)
    host = env.text("SMTP_HOST").strip()
    tls = env.choice("SMTP_TLS", "starttls", TLS_MODES)
    user = env.text("SMTP_USER")
    password = env.text("SMTP_PASSWORD")
    if bool(user) != bool(password):
        raise SettingsError("SMTP_USER and SMTP_PASSWORD are set together or not at all")
    sender = env.text("MAIL_FROM").strip()
    if host and not sender:
        raise SettingsError(
            "MAIL_FROM is not set: with SMTP_HOST the follow-up emails need a sender address "
            "customers can reply to (for example support@your-shop.example)"
        )
    port = env.integer("SMTP_PORT", DEFAULT_PORTS[tls], minimum=1)
    if port > 65535:
        raise SettingsError(f"SMTP_PORT must be a port number (1-65535), got {port}")
    return MailSettings(
        host=host,
        port=port,
        tls=tls,
        user=user,
        password=password,
        sender=sender or "support@localhost",
        timeout_s=env.number("SMTP_TIMEOUT", 10.0, minimum=0.1),
        maildir=env.path("VAR_DIR", PROJECT_ROOT / "var") / "mail",
        widget_page_url=env.text("WIDGET_PAGE_URL").strip()
        or f"http://{env.host('WEB_HOST')}:{env.port('WEB_PORT')}/",
        retry_first_s=env.number("MAIL_RETRY_SECONDS", 30.0, minimum=0.1),
        max_attempts=env.integer("MAIL_MAX_ATTEMPTS", 8, minimum=1),
    )
