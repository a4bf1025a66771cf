"""What a customer got for each message while a part was down, in the four kinds we count."""

from __future__ import annotations

import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

import requests

from addons.channels.delivery import RETRY_TEXT
from launcher.settings import StackSettings

ANSWERED = "answered"  # 200 with the assistant's replies
RETRY = "told to retry"  # 503 + Retry-After + the plain "did not go through" message
REFUSED = "refused"  # no HTTP answer at all (Rasa itself down): the client knows it failed
LOST = "lost"  # 200 with nothing, or anything else: the customer would never know


@dataclass
class Talker:
    """One conversation over REST that records the outcome of every message."""

    settings: StackSettings
    label: str
    sender: str = field(default_factory=lambda: uuid.uuid4().hex)
    tally: Counter[str] = field(default_factory=Counter)
    answered_texts: list[str] = field(default_factory=list)
    # Status and start of the body of every lost message, so a failure shows what came back.
    lost: list[str] = field(default_factory=list)
    # The latest HTTP answer (None: Rasa refused the connection).
    last: requests.Response | None = None

    def say(self, text: str, message_id: str | None = None) -> str:
        """Sends `text` (with the client's `message_id`, if given); returns and counts its
        outcome."""
        body = {"sender": self.sender, "message": text}
        if message_id is not None:
            body["message_id"] = message_id
        self.last = None
        try:
            response = requests.post(
                f"{self.settings.rasa_url}/webhooks/rest/webhook", json=body, timeout=60
            )
        except requests.ConnectionError:
            outcome = REFUSED
        else:
            self.last = response
            outcome = classify(response)
            if outcome == LOST:
                self.lost.append(f"{response.status_code} {response.text[:200]}")
        self.tally[outcome] += 1
        if outcome == ANSWERED:
            self.answered_texts.append(text)
        return outcome

    def say_until_answered(
        self, text: str, attempts: int = 120, message_id: str | None = None
    ) -> None:
        """What a customer told to retry does: send again after a pause."""
        for _ in range(attempts):
            if self.say(text, message_id) == ANSWERED:
                return
            time.sleep(1.0)
        raise AssertionError(f"{text!r} was never answered")

    def figures(self) -> str:
        """sent / answered / told to retry / refused / lost."""
        sent = sum(self.tally.values())
        counts = " / ".join(f"{self.tally[k]} {k}" for k in (ANSWERED, RETRY, REFUSED, LOST))
        return f"{self.label}: {sent} sent: {counts}"


def classify(response: requests.Response) -> str:
    """Which of the four kinds one HTTP answer is."""
    if response.status_code == 200 and response.json():
        return ANSWERED
    if response.status_code == 202 and response.headers.get("X-Conversation-State") == (
        "with-person"
    ):
        return ANSWERED  # stored for the person who has the conversation (addons/channels/rest.py)
    if (
        response.status_code == 503
        and response.headers.get("Retry-After")
        and RETRY_TEXT in response.text
    ):
        return RETRY
    return LOST
