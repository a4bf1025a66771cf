"""The agent desk under test: the real app on a real Redis and shop, a loopback Rasa, a clock
the tests move, and browsers (Flask test clients) signed in as the demo agents."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from agent_desk.accounts import Accounts
from agent_desk.app import create_app
from agent_desk.changes import Changes
from agent_desk.desk import Desk
from agent_desk.rasa_api import RasaClient
from agent_desk.settings import DeskSettings, load_desk_settings
from analytics.recorder import Recorder
from contract import keys
from harness.desk_forms import PASSWORD, token_in
from harness.fake_rasa import TOKEN, FakeRasa, domain_responses, running_fake_rasa
from harness.ticket_helpers import draft, write_desk_config
from orders.client import ShopClient
from tickets.store import TicketStore, connect

T0 = 1_800_000_000.0  # the tests' clock starts here and only moves when a test moves it
NOTICE_AFTER_S = 120


class Clock:
    """The app's clock, moved by the tests instead of waiting."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


@dataclass
class DeskUnderTest:
    app: Flask
    desk: Desk
    store: TicketStore
    rasa: FakeRasa
    clock: Clock
    settings: DeskSettings

    def agent(self, username: str) -> FlaskClient:
        """A browser of its own, signed in as `username`."""
        client = self.app.test_client()
        page = client.get("/login")
        response = client.post(
            "/login",
            data={
                "username": username,
                "password": PASSWORD,
                "csrf_token": token_in(page.get_data(True)),
            },
        )
        assert response.status_code == 303, response.get_data(True)
        return client

    def ticket(self, conversation_id: str = "cust-1", **kwargs: Any) -> str:
        """Opens a ticket created a minute before 'now', with the customer's words in Rasa."""
        ticket, _ = self.store.open_ticket(
            draft(conversation_id, created_at=self.clock.now - 90, **kwargs)
        )
        self.rasa.events[conversation_id].extend(
            [
                {"event": "user", "text": "where is order 10003", "timestamp": T0 - 100},
                {"event": "bot", "text": "Order 10003 is delayed.", "timestamp": T0 - 99},
                {"event": "pause", "timestamp": T0 - 95},
            ]
        )
        return ticket.reference

    def customer_says(self, conversation_id: str, text: str, ts: float) -> None:
        """A customer's message as Rasa stores it: in the tracker the API answers, and
        appended to the conversation's event list in Redis (addons/stores/tracker_store.py),
        which is the write the desk's live pages hear of."""
        event = {"event": "user", "text": text, "timestamp": ts}
        self.rasa.events[conversation_id].append(event)
        connect(self.settings.redis_url).rpush(
            keys.tracker_events(conversation_id), json.dumps(event)
        )


def post(client: FlaskClient, path: str, page_path: str, **form: str) -> TestResponse:
    """Submits a form the way a browser does: with the token from the page it is on."""
    token = token_in(client.get(page_path).get_data(True))
    return client.post(path, data={"csrf_token": token, **form})


def response_text(name: str, **values: str) -> str:
    """A domain response's text with its placeholders filled."""
    return str(domain_responses()[name][0]["text"]).format(**values)


@contextmanager
def running_desk(
    redis_url: str, shop_url: str, tmp_path: Path, environ: dict[str, str] | None = None
) -> Iterator[DeskUnderTest]:
    """The desk app with its own clock, on the given Redis and shop (`environ`: more
    variables, such as HANDOFF_TARGET)."""
    with running_fake_rasa() as rasa:
        settings = load_desk_settings(
            {
                "RASA_API_TOKEN": TOKEN,
                "RASA_URL": rasa.base_url,
                "REDIS_URL": redis_url,
                "SHOP_URL": shop_url,
                "DESK_CONFIG": str(
                    write_desk_config(
                        tmp_path / "desk.yml",
                        unclaimed_notice_after_seconds=NOTICE_AFTER_S,
                        session_lifetime_minutes=30,
                    )
                ),
                **(environ or {}),
            }
        )
        clock = Clock()
        client = connect(settings.redis_url)
        store = TicketStore(client, 600)
        recorder = Recorder(client, settings.tickets.hours, settings.tickets.idle_timeout_s)
        rasa_client = RasaClient(settings.rasa_url, TOKEN, 2, 5)
        desk = Desk(store, rasa_client, settings, clock, recorder)
        changes = Changes(client, settings.refresh_s, settings.live_fallback_s)
        changes.start()
        app = create_app(
            settings,
            desk,
            Accounts.load(settings.agents_file),
            ShopClient(settings.shop_url, timeout_s=3, retries=0),
            "test-secret",
            client,
            clock,
            changes=changes,
        )
        try:
            yield DeskUnderTest(app, desk, store, rasa, clock, settings)
        finally:
            changes.stop()
