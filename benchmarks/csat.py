"""`python -m benchmarks.csat`: CSAT from a scripted set of conversations, on a private copy of
the whole system.

Starts the system on free ports with its state in a temporary folder (harness/stacks.py),
plays benchmarks/csat_conversations.yml over the REST channel, and where a conversation goes
to a person, signs that agent in at the desk over HTTP, claims the ticket, replies and hands
back or closes it, as an agent would. Each customer then presses the rating the script gives.
The figures printed are the analytics' own (the /analytics page's and `make report`'s CSAT
table and headline), read from the counters the system kept, so the script checks the whole
path: question, rating, filing per trigger and per agent, and the figures.
"""

from __future__ import annotations

import json
import secrets
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import requests
import yaml

from analytics.counts import Period, read_counts
from analytics.figures import satisfaction
from analytics.headlines import headlines, headlines_text
from harness.desk_forms import PASSWORD, token_in
from harness.helpers import forget_contact_history
from harness.stacks import private_settings, running_stack
from launcher.stack import Stack
from tickets.settings import load_ticket_config
from tickets.store import TicketStore, connect

SCRIPT = Path(__file__).with_name("csat_conversations.yml")
TIMEOUT_S = 60


@dataclass(frozen=True)
class Scripted:
    """One conversation of the script."""

    says: str
    ends: str
    rating: int
    agent: str = ""


def load_script(path: Path = SCRIPT) -> list[Scripted]:
    """The conversations, checked enough to fail with the file's name."""
    found = yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]
    script = [Scripted(**item) for item in found]
    for item in script:
        if item.ends not in ("thanks", "goodbye", "hand_back", "close"):
            raise SystemExit(f"{path}: unknown ending {item.ends!r}")
        if (item.ends in ("hand_back", "close")) != bool(item.agent):
            raise SystemExit(f"{path}: a person's ending needs an agent, and only it")
    return script


class Customer:
    """One customer on the REST channel."""

    def __init__(self, rasa_url: str) -> None:
        self.sender = secrets.token_hex(16)
        self._url = rasa_url + "/webhooks/rest/webhook"

    def say(self, text: str) -> list[dict[str, Any]]:
        """Sends a message; the assistant's answers."""
        response = requests.post(
            self._url, json={"sender": self.sender, "message": text}, timeout=TIMEOUT_S
        )
        response.raise_for_status()
        return list(response.json())

    def rate(self, score: int) -> None:
        """Presses the rating button (the payload of config/csat.yml's buttons)."""
        answers = self.say("/rate_conversation" + json.dumps({"csat_score": score}))
        if not any("rating" in (a.get("text") or "").lower() for a in answers):
            raise RuntimeError(f"the rating {score} was not taken: {answers}")


class DeskAgent:
    """An agent signed in to the desk over HTTP, using its forms as a browser does."""

    def __init__(self, desk_url: str, username: str) -> None:
        self._url = desk_url
        self._session = requests.Session()
        page = self._session.get(f"{desk_url}/login", timeout=TIMEOUT_S).text
        self._post("/login", page, username=username, password=PASSWORD)

    def _post(self, path: str, page: str, **form: str) -> None:
        response = self._session.post(
            self._url + path, data={"csrf_token": token_in(page), **form}, timeout=TIMEOUT_S
        )
        response.raise_for_status()

    def handle(self, reference: str, ending: str) -> None:
        """Claims, replies, then hands back or closes."""
        for step, form in (
            ("claim", {}),
            ("reply", {"text": "Hello, I've checked your order and sorted it out."}),
            ("hand-back" if ending == "hand_back" else "close", {"level": "calm"}),
        ):
            page = self._session.get(f"{self._url}/tickets/{reference}", timeout=TIMEOUT_S).text
            self._post(f"/tickets/{reference}/{step}", page, **form)


def play(stack: Stack, script: list[Scripted]) -> None:
    """Plays every conversation to its rating."""
    redis_url = stack.settings.redis.url
    store = TicketStore(connect(redis_url), 0.0)
    agents: dict[str, DeskAgent] = {}
    for item in script:
        forget_contact_history(redis_url)
        customer = Customer(stack.settings.rasa_url)
        customer.say(item.says)
        if item.agent:
            ticket = store.open_for_conversation(customer.sender)
            if ticket is None:
                raise RuntimeError(f"{item.says!r} was not handed over")
            if item.agent not in agents:
                agents[item.agent] = DeskAgent(stack.settings.desk_url, item.agent)
            agents[item.agent].handle(ticket.reference, item.ends)
        else:
            customer.say("great, thanks, that's all" if item.ends == "thanks" else "bye")
        customer.rate(item.rating)


def main() -> int:
    """Runs the script on a private system and prints the CSAT figures."""
    script = load_script()
    with tempfile.TemporaryDirectory(prefix="csat-") as folder:
        settings = private_settings(Path(folder) / "var", secrets.token_urlsafe(16))
        with running_stack(settings) as stack:
            play(stack, script)
            zone = load_ticket_config().hours.timezone
            today = datetime.now(timezone.utc).astimezone(zone).date()
            counts = read_counts(connect(stack.settings.redis.url), Period(today, today))
    print(f"{len(script)} scripted conversations ({SCRIPT.name})\n")
    print(headlines_text(headlines(counts)) + "\n")
    print(satisfaction(counts).text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
