"""The Flask application, built from its dependencies (tests pass their own)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

import redis
from flask import Flask, Response, g

from agent_desk.accounts import Accounts, accounts_for
from agent_desk.analytics_views import bp as analytics_bp
from agent_desk.changes import Changes
from agent_desk.chatwoot_hook import ChatwootRelay
from agent_desk.chatwoot_hook import bp as chatwoot_bp
from agent_desk.desk import Desk
from agent_desk.follow_up_mail import FollowUpMail
from agent_desk.i18n import install as install_languages
from agent_desk.live import StreamSlots
from agent_desk.mail_outbox import MailOutbox
from agent_desk.mail_settings import MailSettings, load_mail_settings
from agent_desk.notes_views import bp as notes_bp
from agent_desk.presenting import clock_time, date_time, waited
from agent_desk.rasa_api import RasaClient
from agent_desk.review_views import bp as review_bp
from agent_desk.security import check_csrf, csrf_token
from agent_desk.settings import DeskSettings
from agent_desk.sound import bp as sound_bp
from agent_desk.throttle import LoginThrottle
from agent_desk.transfer_views import bp as transfer_bp
from agent_desk.typing_signal import TypingSignal
from agent_desk.views import availability_figures, bp
from analytics.recorder import Recorder
from analytics.review_store import ReviewStore
from contract.resume_links import ResumeLinks
from orders.client import OrderSystem, ShopClient
from orders.systems import connect as connect_orders
from orders.systems import order_system_name
from tickets.store import TicketStore, connect

# Everything the pages load comes from the desk itself: no CDN, no inline script.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'none'"
)


def _security_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def create_app(
    settings: DeskSettings,
    desk: Desk,
    accounts: Accounts,
    shop: OrderSystem,
    secret_key: str,
    client: redis.Redis,
    clock: Callable[[], float] = time.time,
    typing: TypingSignal | None = None,
    changes: Changes | None = None,
) -> Flask:
    """The desk's web app (`client`: Redis for analytics, sessions, sign-in throttling).

    Nothing here starts threads or opens connections: without a started `changes`, live
    pages are read every `refresh_seconds` (agent_desk/changes.py).
    """
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secret_key,
        SESSION_COOKIE_NAME="desk_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        PERMANENT_SESSION_LIFETIME=timedelta(seconds=settings.session_lifetime_s),
        SESSION_REFRESH_EACH_REQUEST=False,  # the lifetime counts from sign-in
        DESK_SESSION_LIFETIME_S=settings.session_lifetime_s,
        MAX_CONTENT_LENGTH=64 * 1024,
    )
    app.extensions.update(
        desk=desk,
        desk_accounts=accounts,
        desk_shop=shop,
        desk_clock=clock,
        desk_redis=client,
        desk_typing=typing or TypingSignal(settings.redis_url),
        desk_throttle=LoginThrottle(client, settings.login_limits),
        desk_changes=changes or Changes(client, settings.refresh_s, settings.live_fallback_s),
        desk_slots=StreamSlots(settings.max_live_streams),
        desk_review=ReviewStore(client),
    )
    if settings.chatwoot_webhook_secret:  # HANDOFF_TARGET=chatwoot
        app.extensions.update(
            chatwoot_secret=settings.chatwoot_webhook_secret,
            chatwoot_relay=ChatwootRelay(desk, client),
        )
    install_languages(app, client)
    app.before_request(check_csrf)
    app.after_request(_security_headers)
    zone = settings.tickets.hours.timezone
    app.jinja_env.globals.update(
        csrf_token=csrf_token,
        may_see_analytics=lambda: "agent" in g and accounts.may_see_analytics(g.agent),
        availability_figures=availability_figures,
        desk_clock=lambda: {
            "zone": zone.key,
            "format": settings.time_format,
            "now": clock(),
        },
    )
    app.jinja_env.filters.update(
        waited=waited,
        clock_time=lambda ts: clock_time(ts, zone, settings.time_format),
        date_time=lambda ts: date_time(ts, zone, settings.time_format),
    )
    app.register_blueprint(bp)
    app.register_blueprint(analytics_bp)
    app.register_blueprint(notes_bp)
    app.register_blueprint(transfer_bp)
    app.register_blueprint(sound_bp)
    app.register_blueprint(review_bp)
    app.register_blueprint(chatwoot_bp)
    return app


def follow_up_mail(client: redis.Redis, mail: MailSettings) -> FollowUpMail:
    """Replies by email for web-chat customers who asked, with links back to their chat."""
    return FollowUpMail(
        client,
        MailOutbox(client, mail.retry_first_s, mail.max_attempts),
        ResumeLinks.from_environment(),
        mail,
    )


def build(settings: DeskSettings, mail: MailSettings | None = None) -> tuple[Flask, Desk]:
    """The app with real connections from `settings` (used by python -m agent_desk); the
    caller starts its change feed, `app.extensions["desk_changes"]`, and sends the follow-up
    emails (`desk.follow_up`, agent_desk/follow_up_mail.py). `mail`: from the environment
    when not given."""
    client = connect(settings.redis_url)
    changes = Changes(client, settings.refresh_s, settings.live_fallback_s)
    store = TicketStore(client, settings.tickets.queue.frustration_head_start_minutes * 60)
    rasa = RasaClient(
        settings.rasa_url,
        settings.rasa_token,
        settings.rasa_connect_timeout_s,
        settings.rasa_read_timeout_s,
    )
    desk = Desk(
        store,
        rasa,
        settings,
        time.time,
        Recorder(client, settings.tickets.hours, settings.tickets.idle_timeout_s),
        follow_up_mail(client, mail or load_mail_settings()),
    )
    app = create_app(
        settings,
        desk,
        accounts_for(
            Accounts.load(settings.agents_file), settings.host, settings.allow_demo_accounts
        ),
        (
            ShopClient(settings.shop_url, timeout_s=3.0, retries=1)
            if order_system_name() == "demo"
            else connect_orders()  # Shopify or WooCommerce: their own settings (README)
        ),
        settings.secret_key,
        client,
        changes=changes,
    )
    return app, desk
