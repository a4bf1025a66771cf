"""`python -m agent_desk`: serve the desk with waitress.  `... hash-password`: make a hash."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
import time

from werkzeug.security import generate_password_hash

# Threads kept for page loads and form posts beside the event streams (max_live_streams).
PAGE_THREADS = 8


def serve() -> int:
    """Runs until stopped; the unclaimed-ticket notifier runs beside the web server."""
    from waitress import serve as waitress_serve

    from agent_desk.app import build
    from agent_desk.changes import Changes
    from agent_desk.follow_up_mail import MailSender
    from agent_desk.mail_settings import load_mail_settings
    from agent_desk.mailer import Mailer
    from agent_desk.notifier import Notifier
    from agent_desk.recovery import HandoffRecovery
    from agent_desk.settings import load_desk_settings
    from contract.at_rest import sealer
    from mood.settings import load_handoff_triggers
    from personal_data.erase import Eraser
    from personal_data.settings import retention_days
    from settings.env import Env
    from settings.shared_secrets import DESK_SECRETS, check_shared_secrets
    from tickets.store import connect

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = load_desk_settings()
    check_shared_secrets(DESK_SECRETS)
    mail = load_mail_settings()
    app, desk = build(settings, mail)
    changes: Changes = app.extensions["desk_changes"]
    intents = load_handoff_triggers().person_request_intents
    recovery = HandoffRecovery(connect(settings.redis_url), desk.rasa, intents)
    eraser = Eraser(connect(settings.redis_url, timeout_s=10), sealer())
    days = retention_days(Env())
    notifier = Notifier(
        desk,
        settings.unclaimed_check_every_s,
        recovery,
        purge=lambda: eraser.purge(days, time.time()),
    )
    mailer = Mailer(mail)
    assert desk.follow_up is not None  # build() sets it
    sender = MailSender(desk.follow_up, mailer, settings.unclaimed_check_every_s)
    notifier.start()
    changes.start()
    sender.start()
    print(f"Agent desk on http://{settings.host}:{settings.port}; {mailer.describe()}", flush=True)
    try:
        waitress_serve(
            app,
            host=settings.host,
            port=settings.port,
            # Each open queue or conversation page holds a thread for its event stream; at
            # most max_live_streams do (agent_desk/live.py), so page loads always find one.
            threads=settings.max_live_streams + PAGE_THREADS,
            # Send each event at once, not when 18 KB have gathered.
            send_bytes=1,
            ident="agent-desk",
        )
    finally:
        notifier.stop()
        changes.stop()
        sender.stop()
    return 0


def hash_password() -> int:
    """Prints a hash for config/agents.yml; the password is read without echo."""
    password = getpass.getpass("Password: ")
    if len(password) < 10:
        print("error: use at least 10 characters", file=sys.stderr)
        return 1
    if getpass.getpass("Again: ") != password:
        print("error: the two passwords differ", file=sys.stderr)
        return 1
    print(generate_password_hash(password))
    return 0


def main() -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m agent_desk", description=__doc__)
    parser.add_argument("command", nargs="?", default="serve", choices=["serve", "hash-password"])
    args = parser.parse_args()
    return serve() if args.command == "serve" else hash_password()


if __name__ == "__main__":
    sys.exit(main())
