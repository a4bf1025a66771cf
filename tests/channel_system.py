"""One running system for the channel and fuzz tests: Redis, shop, action server, Rasa, desk,
web page, with Slack and Telegram switched on and pointed at local fakes.

Starting Rasa costs about 40 s of CPU, so tests/addons/channels and tests/fuzz share one stack
(session scope, registered once in tests/conftest.py so both folders get the same one). Each
test uses its own conversation ids, so no test depends on another or on their order.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from agent_desk.accounts import Agent
from agent_desk.app import build
from agent_desk.desk import Desk
from agent_desk.settings import load_desk_settings
from contract.slots import LIVE_AGENT_HANDOFF
from harness.helpers import free_port
from harness.stacks import private_env
from launcher.settings import PROJECT_ROOT, StackSettings, load_stack_settings
from launcher.stack import Stack
from tests.fakes.slack import FakeSlack
from tests.fakes.telegram import FakeTelegram

SLACK_BOT_TOKEN = "xoxb-test-" + secrets.token_hex(8)
SLACK_SIGNING_SECRET = secrets.token_hex(16)
TELEGRAM_BOT_TOKEN = "123456:TEST-" + secrets.token_hex(8)
TELEGRAM_SECRET_TOKEN = "tg-secret-" + secrets.token_hex(8)
TELEGRAM_WEBHOOK_URL = "https://assistant.example.test/webhooks/telegram/webhook"
AGENT_NAME = "Sam"


class AgentAtDesk:
    """An agent working through the desk's own code (agent_desk.desk.Desk, its RasaClient and
    ticket store, wired by agent_desk.app.build as `python -m agent_desk` wires them).

    Claims, replies and hand-backs are the calls the desk's pages make, on the tickets the
    handoff action opened in the stack's Redis, so what a channel receives is what the real
    desk sends.
    """

    def __init__(self, desk: Desk, agent: Agent) -> None:
        """`agent` is who claims and replies (Agent is the desk's plain record of a person)."""
        self.desk = desk
        self.agent = agent

    def tracker(self, conversation_id: str) -> dict[str, Any]:
        """The conversation as the desk reads it."""
        return self.desk.rasa.tracker(conversation_id)

    def ticket_reference(self, conversation_id: str) -> str:
        """The conversation's open ticket, as the desk's queue lists it."""
        ticket = self.desk.store.open_for_conversation(conversation_id)
        assert ticket is not None, f"{conversation_id} has no open ticket on the desk"
        return ticket.reference

    def wait_until_handed_over(self, conversation_id: str, timeout: float = 60.0) -> None:
        """Waits until the assistant has paused the conversation and its ticket is queued."""
        deadline = time.monotonic() + timeout
        while not (
            self.tracker(conversation_id).get("paused")
            and self.desk.store.open_for_conversation(conversation_id) is not None
        ):
            if time.monotonic() > deadline:
                raise AssertionError(f"{conversation_id} was not handed over within {timeout}s")
            time.sleep(0.2)

    def join(self, conversation_id: str) -> None:
        """Claims the ticket: the desk tells the customer a person joined."""
        outcome = self.desk.claim(self.ticket_reference(conversation_id), self.agent)
        assert not outcome.warning, outcome.warning

    def reply(self, conversation_id: str, text: str) -> None:
        """The agent's reply (the ticket must be claimed first, as on the desk)."""
        self.desk.reply(self.ticket_reference(conversation_id), self.agent, text)

    def transfer(self, conversation_id: str, to: Agent) -> AgentAtDesk:
        """Passes the conversation to `to` (the customer is told) and returns `to` at the desk,
        who works it from then on; this agent stays who it is for the session's other tests."""
        outcome = self.desk.transfer(self.ticket_reference(conversation_id), self.agent, to, "")
        assert not outcome.warning, outcome.warning
        return AgentAtDesk(self.desk, to)

    def hand_back(self, conversation_id: str, level: str = "calm") -> None:
        """Hands the conversation back to the assistant; the customer is told."""
        self.desk.hand_back(self.ticket_reference(conversation_id), self.agent, level)

    def hand_back_unlabelled(self, conversation_id: str) -> None:
        """A hand-back whose message carries no response name (`utter_action`), sent through the
        desk's Rasa client: what a channel gets from an older desk or another integration."""
        self.desk.rasa.append(
            conversation_id,
            [
                {"event": "resume"},
                {"event": "slot", "name": LIVE_AGENT_HANDOFF, "value": False},
                {
                    "event": "bot",
                    "text": "You're back with the automated assistant.",
                    "metadata": {},
                },
                {"event": "action", "name": "action_listen"},
            ],
        )


@dataclass
class ChannelSystem:
    """The running system and the fakes its Slack and Telegram channels talk to."""

    settings: StackSettings
    env: dict[str, str]
    stack: Stack
    slack: FakeSlack
    telegram: FakeTelegram
    desk: AgentAtDesk
    # A shop page on another origin (http://localhost:<port>), listed in WIDGET_CORS_ORIGINS.
    other_origin_port: int

    @property
    def other_origin(self) -> str:
        """The shop page embedding rasa-webchat (tests/addons/channels/test_rasa_webchat.py)."""
        return f"http://localhost:{self.other_origin_port}"

    @property
    def rasa_url(self) -> str:
        """Rasa server (webhooks, socket.io, HTTP API)."""
        return self.settings.rasa_url

    @property
    def web_url(self) -> str:
        """The demo shop page with the widget."""
        return f"http://{self.settings.host}:{self.settings.web_port}"


@pytest.fixture(scope="session")
def channel_system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChannelSystem]:
    """The whole system on free ports with every channel on; stopped after the session."""
    model = PROJECT_ROOT / "models" / "assistant.tar.gz"
    if not model.exists():
        pytest.fail(f"{model} is missing: run deploy/setup.sh to train it")
    slack = FakeSlack(SLACK_BOT_TOKEN).start()
    telegram = FakeTelegram(TELEGRAM_BOT_TOKEN).start()
    other_origin_port = free_port()
    env = private_env(tmp_path_factory.mktemp("channels"), secrets.token_urlsafe(16)) | {
        "SLACK_BOT_TOKEN": SLACK_BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SLACK_SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url,
        "TELEGRAM_BOT_TOKEN": TELEGRAM_BOT_TOKEN,
        "TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET_TOKEN,
        "TELEGRAM_API_URL": telegram.url,
        "TELEGRAM_WEBHOOK_URL": TELEGRAM_WEBHOOK_URL,
        "WIDGET_CORS_ORIGINS": f"http://localhost:{other_origin_port}",
    }
    settings = load_stack_settings(env)
    stack = Stack(settings)
    try:
        stack.start()
        # Secrets reach only the process that needs them (launcher/stack.py): pass the token.
        _, desk = build(load_desk_settings({**stack.env, "RASA_API_TOKEN": settings.api_token}))
        agent = AgentAtDesk(desk, Agent("sam", AGENT_NAME))
        yield ChannelSystem(settings, env, stack, slack, telegram, agent, other_origin_port)
    finally:
        stack.stop()
        slack.stop()
        telegram.stop()
