"""A customer talking to the assistant over the REST channel, as a test sees it, and what a
handed-over customer must see (`assert_handed_over`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import requests

from harness.stacks import rasa_tracker
from launcher.settings import StackSettings
from tickets.model import WAITING, Ticket
from tickets.store import TicketStore, connect

# What the customer is told for each reason (domain/handoff.yml), as `Customer.ask` returns it.
HANDOFF_MESSAGES = {
    "customer_request": "sure, a person will take over.",
    "frustration": "sorry this hasn't been sorted out. a person will take over",
    "repeated_contact": "you've had to come back about this, so a person will take it from here.",
    "repeated_failure": "i'm not getting this right, so a person will take over.",
}


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
        return rasa_tracker(self.settings, self.sender_id)

    def slot(self, name: str) -> Any:
        """The current value of one slot."""
        return self.tracker()["slots"].get(name)

    def is_paused(self) -> bool:
        """True while the assistant stays silent for a person to take over."""
        return bool(self.tracker()["paused"])

    def ticket(self) -> Ticket | None:
        """The conversation's open ticket, read from Redis as the agent desk reads it."""
        client = connect(self.settings.redis.url)
        try:
            return TicketStore(client, frustration_head_start_s=0.0).open_for_conversation(
                self.sender_id
            )
        finally:
            client.close()


def assert_handed_over(customer: Customer, answer: str, reason: str) -> None:
    """The whole handoff for `reason`: slots, the message the customer read (`answer`), the
    paused conversation and the open ticket whose reference the customer was given."""
    tracker = customer.tracker()
    assert tracker["slots"]["live_agent_handoff"] is True
    assert tracker["slots"]["handoff_reason"] == reason
    assert HANDOFF_MESSAGES[reason] in answer, answer
    assert tracker["paused"] is True, "the assistant must go quiet for the person"
    ticket = customer.ticket()
    assert ticket is not None, "no ticket: nobody on the desk would see the conversation"
    assert ticket.reason == reason and ticket.status == WAITING
    assert f"your ticket is {ticket.reference.lower()}" in answer, answer
