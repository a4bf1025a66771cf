"""A customer talking to the assistant over the REST channel, as a test sees it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import requests

from launcher.settings import StackSettings


@dataclass
class Customer:
    """One conversation: what the customer says and what the assistant answers."""

    settings: StackSettings
    sender_id: str

    @classmethod
    def new(cls, settings: StackSettings, label: str) -> Customer:
        """A fresh conversation whose id shows which test made it (handy in Redis and logs)."""
        return cls(settings, f"{label[:40]}-{uuid.uuid4().hex[:8]}")

    def say(self, text: str) -> list[dict[str, Any]]:
        """Sends one message; returns the assistant's messages (text, buttons ...)."""
        response = requests.post(
            f"{self.settings.rasa_url}/webhooks/rest/webhook",
            json={"sender": self.sender_id, "message": text},
            timeout=60,
        )
        response.raise_for_status()
        return response.json()

    def ask(self, text: str) -> str:
        """Sends one message; returns the assistant's texts joined, lower-cased for matching."""
        return " ".join(m.get("text", "") for m in self.say(text)).lower()

    def tracker(self) -> dict[str, Any]:
        """The conversation as Rasa stores it (HTTP API, with the token)."""
        response = requests.get(
            f"{self.settings.rasa_url}/conversations/{self.sender_id}/tracker",
            params={"token": self.settings.api_token},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()

    def slot(self, name: str) -> Any:
        """The current value of one slot."""
        return self.tracker()["slots"].get(name)

    def is_paused(self) -> bool:
        """True while the assistant stays silent for a person to take over."""
        return bool(self.tracker()["paused"])
