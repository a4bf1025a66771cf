"""Sign-in sessions that expire and end at sign-out, safe redirects, a CSRF token on every form.

The session is Flask's signed cookie. It holds the username, when they signed in, a random
session id and a random CSRF token; every POST must send that token back in the form, so a
page on another site cannot make a signed-in agent's browser claim, reply or hand back.

A signed cookie alone stays valid until it expires, even after sign-out: a copied cookie
would keep working. So each sign-in is also recorded in Redis under its session id (expiring
with the session), sign-out deletes the record, and a cookie whose record is gone is refused.

Expiry is checked here against `signed_in_at` (with the app's injectable clock) rather than
left to the cookie's lifetime alone, so an expired session is refused with a message saying
so, and tests can move the clock instead of waiting.
"""

from __future__ import annotations

import hmac
import secrets
import unicodedata
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

import redis
from flask import (
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from agent_desk.accounts import Accounts, Agent
from agent_desk.presence import Presence
from contract import keys
from tickets.availability import Availability

F = TypeVar("F", bound=Callable[..., Any])

USER = "user"
SIGNED_IN_AT = "signed_in_at"
SESSION_ID = "sid"
CSRF = "csrf"
CSRF_FIELD = "csrf_token"

EXPIRED_MESSAGE = "Your session has expired. Please sign in again."
FORGED_MESSAGE = (
    "This request was refused: it did not carry this desk's security token, so it may not "
    "come from an agent desk page. Go back, reload the page and try again."
)


NO_SESSION_MESSAGE = (
    "This request was refused: it came without a desk session (it expired, or the form was "
    "sent from another site). Sign in and try again."
)


def safe_next(target: str, default: str) -> str:
    """`target` when it is a path of this desk, else `default`.

    Browsers drop tabs and line breaks from a URL and read a backslash as a slash, so a
    slash, a tab and `/evil.example` would leave the site as `//evil.example`; a line break in
    a Location header is also an error. Any control, space or backslash refuses the target.
    """
    target = target.rstrip("?")
    if (
        not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(unicodedata.category(c)[0] in "CZ" for c in target)
    ):
        return default
    parts = urlsplit(target)
    return default if parts.scheme or parts.netloc else target


def csrf_token() -> str:
    """The session's CSRF token, created on first use (templates put it in every form)."""
    if CSRF not in session:
        session[CSRF] = secrets.token_urlsafe(32)
    return str(session[CSRF])


# Server-to-server webhooks with their own secret (agent_desk/chatwoot_hook.py): no session.
CSRF_EXEMPT_BLUEPRINTS = frozenset({"chatwoot"})


def check_csrf() -> Any | None:
    """before_request: a POST without the session's token gets a 400 page saying why."""
    if request.method != "POST" or request.blueprint in CSRF_EXEMPT_BLUEPRINTS:
        return None
    expected = session.get(CSRF, "")
    if not expected:
        return render_template("refused.html", message=NO_SESSION_MESSAGE), 400
    # Bytes: compare_digest refuses str with non-ASCII characters (a forged token may have them).
    sent = request.form.get(CSRF_FIELD, "").encode("utf-8", "surrogatepass")
    if sent and hmac.compare_digest(sent, expected.encode()):
        return None
    return render_template("refused.html", message=FORGED_MESSAGE), 400


def _redis() -> redis.Redis:
    client: redis.Redis = current_app.extensions["desk_redis"]
    return client


def availability() -> Availability:
    """Agents' available/away state (tickets/availability.py) on the desk's Redis."""
    desk: Any = current_app.extensions["desk"]
    return Availability(_redis(), desk.settings.tickets.idle_timeout_s)


# Requests a page makes by itself (live streams, their fallback reads): not the agent's doing.
_NOT_ACTIVITY = ("/events", "/live")


def sign_in(agent: Agent, now: float) -> None:
    """A fresh session (a new CSRF token too, so a token seen before sign-in is useless)."""
    session.clear()
    session_id = secrets.token_urlsafe(24)
    lifetime = int(current_app.config["DESK_SESSION_LIFETIME_S"])
    _redis().set(keys.desk_session(session_id), agent.username, ex=max(lifetime, 1))
    Presence(_redis()).signed_in(agent.username, session_id, now, lifetime)
    availability().set_available(agent.username, now)
    session.permanent = True
    session[USER] = agent.username
    session[SIGNED_IN_AT] = now
    session[SESSION_ID] = session_id
    session[CSRF] = secrets.token_urlsafe(32)


def sign_out() -> None:
    """Ends the session here and everywhere its cookie was copied to."""
    session_id = session.get(SESSION_ID)
    if isinstance(session_id, str):
        _redis().delete(keys.desk_session(session_id))
        username = str(session.get(USER, ""))
        Presence(_redis()).signed_out(username, session_id)
        if not Presence(_redis()).who([username], current_app.extensions["desk_clock"]()):
            availability().set_away(username)  # their last session: nobody is there now
    session.clear()


def _recorded(username: str) -> bool:
    """Whether the cookie's session is still recorded in Redis for this user."""
    session_id = session.get(SESSION_ID)
    if not isinstance(session_id, str):
        return False
    return bool(_redis().get(keys.desk_session(session_id)) == username)


def _session_agent() -> tuple[Agent | None, bool]:
    """(agent, expired). Clears an expired session."""
    username = session.get(USER)
    if not username:
        return None, False
    accounts: Accounts = current_app.extensions["desk_accounts"]
    agent = accounts.get(username)
    lifetime = current_app.config["DESK_SESSION_LIFETIME_S"]
    now = current_app.extensions["desk_clock"]()
    if agent is None or now - float(session.get(SIGNED_IN_AT, 0)) > lifetime:
        session.clear()
        return None, agent is not None
    if not _recorded(username):
        session.clear()
        return None, True
    return agent, False


def login_required(view: F) -> F:
    """Pages redirect to sign-in (saying when the session expired); JSON gets a 401."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        agent, expired = _session_agent()
        if agent is not None:
            g.agent = agent
            if not request.path.endswith(_NOT_ACTIVITY) and request.path != "/api/queue":
                availability().touch(agent.username, current_app.extensions["desk_clock"]())
            return view(*args, **kwargs)
        message = EXPIRED_MESSAGE if expired else "Please sign in."
        if request.path.startswith("/api/"):
            return jsonify({"error": message, "signed_out": True}), 401
        flash(message, "error")
        target = request.full_path if request.method == "GET" else None
        return redirect(url_for("desk.login", next=target))

    return cast(F, wrapper)
