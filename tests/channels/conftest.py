"""One running system for every channel test: Redis, shop, action server, Rasa, web page.

Starting Rasa costs about 40 s of CPU, so the whole package shares one stack (session scope),
with Slack and Telegram switched on and pointed at local fakes. Each test uses its own
conversation ids, so no test depends on another or on their order.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, sync_playwright

from launcher.settings import PROJECT_ROOT, StackSettings, load_stack_settings
from launcher.stack import Stack
from tests.fakes.slack import FakeSlack
from tests.fakes.telegram import FakeTelegram
from tests.helpers import forget_contact_history, free_port

SLACK_BOT_TOKEN = "xoxb-test-" + secrets.token_hex(8)
SLACK_SIGNING_SECRET = secrets.token_hex(16)
TELEGRAM_BOT_TOKEN = "123456:TEST-" + secrets.token_hex(8)
TELEGRAM_SECRET_TOKEN = "tg-secret-" + secrets.token_hex(8)
TELEGRAM_WEBHOOK_URL = "https://assistant.example.test/webhooks/telegram/webhook"
AGENT_NAME = "Sam"
ARTIFACTS = PROJECT_ROOT / "test-artifacts"


class AgentDesk:
    """Plays the agent desk: the same Rasa HTTP API calls agent_desk/desk.py makes."""

    def __init__(self, rasa_url: str, token: str) -> None:
        """`token` is the Rasa server's API token (RASA_API_TOKEN)."""
        self._rasa_url = rasa_url
        self._token = token

    def append(self, conversation_id: str, events: list[dict[str, Any]]) -> dict[str, Any]:
        """Appends events; bot events go out in the customer's latest channel."""
        response = requests.post(
            f"{self._rasa_url}/conversations/{conversation_id}/tracker/events",
            params={
                "output_channel": "latest",
                "execute_side_effects": "true",
                "token": self._token,
            },
            json=events,
            timeout=30,
        )
        response.raise_for_status()
        return response.json()

    def tracker(self, conversation_id: str) -> dict[str, Any]:
        """The conversation as the desk reads it."""
        response = requests.get(
            f"{self._rasa_url}/conversations/{conversation_id}/tracker",
            params={"token": self._token},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()

    def wait_until_handed_over(self, conversation_id: str, timeout: float = 60.0) -> None:
        """Waits until the assistant has paused the conversation for a person."""
        deadline = time.monotonic() + timeout
        while not self.tracker(conversation_id).get("paused"):
            if time.monotonic() > deadline:
                raise AssertionError(f"{conversation_id} was not handed over within {timeout}s")
            time.sleep(0.2)

    def join(self, conversation_id: str) -> None:
        """Claiming a ticket: the desk tells the customer a person joined."""
        self.append(
            conversation_id,
            [
                _bot(
                    f"{AGENT_NAME} from our support team has joined and can see this conversation.",
                    utter_action="utter_handoff_agent_joined",
                )
            ],
        )

    def reply(self, conversation_id: str, text: str) -> None:
        """An agent's reply, marked with the agent's display name."""
        self.append(conversation_id, [_bot(text, agent=AGENT_NAME)])

    def hand_back(self, conversation_id: str, labelled: bool = True) -> None:
        """Resume plus the hand-back message; `labelled=False` sends it without utter_action."""
        extra = {"utter_action": "utter_handoff_back"} if labelled else {}
        self.append(
            conversation_id,
            [
                {"event": "resume"},
                {"event": "slot", "name": "live_agent_handoff", "value": False},
                {"event": "slot", "name": "handoff_reason", "value": None},
                {"event": "slot", "name": "frustration_level", "value": "calm"},
                {"event": "slot", "name": "frustration_score", "value": 0.0},
                _bot("You're back with the automated assistant. What's next?", **extra),
                {"event": "action", "name": "action_listen"},
            ],
        )


def _bot(text: str, **metadata: Any) -> dict[str, Any]:
    return {"event": "bot", "text": text, "metadata": metadata}


@dataclass
class ChannelSystem:
    """The running system and the fakes its Slack and Telegram channels talk to."""

    settings: StackSettings
    env: dict[str, str]
    stack: Stack
    slack: FakeSlack
    telegram: FakeTelegram
    desk: AgentDesk

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
        pytest.fail(f"{model} is missing: run scripts/setup.sh to train it")
    slack = FakeSlack(SLACK_BOT_TOKEN).start()
    telegram = FakeTelegram(TELEGRAM_BOT_TOKEN).start()
    env = {
        "VAR_DIR": str(tmp_path_factory.mktemp("channels")),
        "RASA_PORT": str(free_port()),
        "ACTION_PORT": str(free_port()),
        "SHOP_PORT": str(free_port()),
        "REDIS_PORT": str(free_port()),
        "WEB_PORT": str(free_port()),
        "DESK_PORT": str(free_port()),
        "RASA_API_TOKEN": secrets.token_urlsafe(16),
        "SLACK_BOT_TOKEN": SLACK_BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SLACK_SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url,
        "TELEGRAM_BOT_TOKEN": TELEGRAM_BOT_TOKEN,
        "TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET_TOKEN,
        "TELEGRAM_API_URL": telegram.url,
        "TELEGRAM_WEBHOOK_URL": TELEGRAM_WEBHOOK_URL,
    }
    settings = load_stack_settings(env)
    stack = Stack(settings)
    try:
        stack.start()
        yield ChannelSystem(
            settings, env, stack, slack, telegram, AgentDesk(settings.rasa_url, settings.api_token)
        )
    finally:
        stack.stop()
        slack.stop()
        telegram.stop()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go (gitignored test-artifacts/)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's chromium driven by Playwright (installed by scripts/setup.sh --test)."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(autouse=True)
def forget_contacts(request: pytest.FixtureRequest) -> None:
    """Each test starts with no contact history: other tests ask about the same demo orders,
    which would otherwise count as this customer coming back (a repeated-contact handoff)."""
    if "channel_system" not in request.fixturenames:
        return
    system: ChannelSystem = request.getfixturevalue("channel_system")
    forget_contact_history(system.settings.redis.url)
