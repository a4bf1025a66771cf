"""One HTTP request per generated input, for each endpoint of the running system.

A probe is the bytes of one request; `send` returns its status (or the error's type when no
response came back). Every request carries what a real caller would send (Slack's signature,
Telegram's secret, the desk's session and CSRF token) most of the time, so the input reaches
the code behind the checks, and sometimes not, so the checks are fuzzed too.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from urllib.parse import quote

import requests

from tests.channel_system import SLACK_SIGNING_SECRET, TELEGRAM_SECRET_TOKEN, ChannelSystem
from tests.fakes.slack import encode, message_event, signed_headers
from tests.fakes.telegram import text_update
from tests.fuzz.generate import Generator

TIMEOUT_S = 120
DESK_ACTIONS = ["reply", "claim", "hand-back", "close", "judgement"]


@dataclass(frozen=True)
class Probe:
    """One request: which endpoint it fuzzes, and what is sent."""

    target: str
    method: str
    url: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    form: dict[str, bytes] | None = None


_local = threading.local()


def send(probe: Probe) -> int | str:
    """The response status, or the exception's type when none came back."""
    session = getattr(_local, "session", None)
    if session is None:
        session = _local.session = requests.Session()
    try:
        response = session.request(
            probe.method,
            probe.url,
            data=probe.form if probe.form is not None else probe.body,
            headers=probe.headers,
            timeout=TIMEOUT_S,
            allow_redirects=False,
        )
    except requests.RequestException as error:
        return type(error).__name__
    return response.status_code


def rest(gen: Generator, system: ChannelSystem) -> Probe:
    """POST /webhooks/rest/webhook: a real message now and then, mostly broken bodies."""
    shape = {"sender": gen.sender(), "message": gen.text()}
    if gen.chance(0.06):
        shape = {"sender": f"fuzz-{gen.rng.getrandbits(40):x}", "message": gen.short_text()}
        body = encode(shape)
    else:
        body = gen.mutated(shape)
    headers = {"Content-Type": gen.rng.choice(["application/json", "text/plain", "x/y"])}
    return Probe("rest", "POST", f"{system.rasa_url}/webhooks/rest/webhook", body, headers)


def telegram(gen: Generator, system: ChannelSystem) -> Probe:
    """POST /webhooks/telegram/webhook with the secret (mostly) and an update (or not)."""
    update = text_update(gen.rng.randint(1, 10**12), gen.short_text())
    body = encode(update) if gen.chance(0.05) else gen.mutated(update)
    if gen.chance(0.2):
        update["message"]["chat"]["id"] = gen.value()
        body = encode(update)
    secret = TELEGRAM_SECRET_TOKEN if gen.chance(0.9) else gen.unicode(8).encode("ascii", "ignore")
    headers = {"X-Telegram-Bot-Api-Secret-Token": str(secret), "Content-Type": "application/json"}
    return Probe("telegram", "POST", f"{system.rasa_url}/webhooks/telegram/webhook", body, headers)


def slack(gen: Generator, system: ChannelSystem) -> Probe:
    """POST /webhooks/slack/webhook: events signed with the app's secret (mostly)."""
    suffix = f"{gen.rng.getrandbits(40):X}"
    event = message_event(f"U{suffix}", f"D{suffix}", gen.short_text(), f"Ev{suffix}")
    if gen.chance(0.15):
        event["event"][gen.rng.choice(list(event["event"]))] = gen.value()
        body = encode(event)
    else:
        body = encode(event) if gen.chance(0.05) else gen.mutated(event)
    if gen.chance(0.1):
        body = b"payload=" + _quote(gen.text()[:2000]).encode()
    headers = signed_headers(SLACK_SIGNING_SECRET, body)
    if gen.chance(0.15):
        headers["X-Slack-Signature"] = "v0=" + f"{gen.rng.getrandbits(256):064x}"
    if b"payload=" in body[:8]:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    return Probe("slack", "POST", f"{system.rasa_url}/webhooks/slack/webhook", body, headers)


@dataclass(frozen=True)
class DeskVisitor:
    """A browser's session cookie and the CSRF token of its pages."""

    cookie: str
    csrf: str

    @classmethod
    def open(cls, desk_url: str, username: str = "", password: str = "") -> DeskVisitor:
        """Loads the sign-in page (and signs in when a username is given)."""
        browser = requests.Session()
        page = browser.get(f"{desk_url}/login", timeout=30).text
        csrf = _csrf(page)
        if username:
            signed_in = browser.post(
                f"{desk_url}/login",
                data={"username": username, "password": password, "csrf_token": csrf},
                timeout=30,
            )
            assert signed_in.ok, signed_in.status_code
            csrf = _csrf(signed_in.text)
        return cls(f"desk_session={browser.cookies['desk_session']}", csrf)


def _csrf(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "no CSRF token on the page"
    return match.group(1)


def _raw(text: str) -> bytes:
    """UTF-8 bytes, lone surrogates included (invalid UTF-8 is part of the fuzz)."""
    return text.encode("utf-8", "surrogatepass")


def _quote(text: str) -> str:
    return quote(text, safe="", errors="surrogatepass")


def desk(gen: Generator, desk_url: str, agent: DeskVisitor, visitor: DeskVisitor) -> Probe:
    """The desk's forms and pages: sign-in, replies and the other ticket actions, lookups."""
    who = agent if gen.chance(0.8) else visitor
    headers = {"Cookie": who.cookie}
    csrf = who.csrf if gen.chance(0.85) else gen.text()[:500]
    segment = _quote(gen.text()[:300])
    kind = gen.rng.randint(0, 5)
    if kind == 0:
        form = {
            "username": _raw(gen.text()[:2000]),
            "password": _raw(gen.text()[:2000]),
            "csrf_token": _raw(csrf),
        }
        return Probe("desk", "POST", f"{desk_url}/login?next={segment}", None, headers, form)
    if kind in (1, 2):
        action = gen.rng.choice(DESK_ACTIONS)
        form = {
            "csrf_token": _raw(csrf),
            "text": _raw(gen.text()),
            "level": _raw(gen.text()[:50]),
            "needed": _raw(gen.rng.choice(["yes", "no", gen.text()[:50]])),
        }
        return Probe("desk", "POST", f"{desk_url}/tickets/{segment}/{action}", None, headers, form)
    if kind == 3:
        path = gen.rng.choice(["/tickets/{}", "/api/tickets/{}/live", "/login?next={}", "/?{}"])
        return Probe("desk", "GET", desk_url + path.format(segment), None, headers)
    if kind == 4:
        path = gen.rng.choice(
            [
                "/analytics?from={}",
                "/analytics?to={}&channel={}",
                "/analytics/{}.csv",
                "/analytics/charts/{}.svg",
                "/api/queue?x={}",
            ]
        )
        return Probe("desk", "GET", desk_url + path.format(segment, segment), None, headers)
    body = gen.mutated({"csrf_token": csrf, "text": gen.text()})
    headers["Content-Type"] = gen.rng.choice(
        ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain"]
    )
    action = gen.rng.choice(DESK_ACTIONS)
    return Probe("desk", "POST", f"{desk_url}/tickets/{segment}/{action}", body, headers)
