"""Requests for a person that could not be ticketed when made are ticketed once it is possible.

When the action server (or Rasa) is down, a customer's "I want a person" cannot run the
handoff: the channel tells them it did not go through and notes the conversation in Redis
(`cs:undelivered`, addons/channels/delivery.py). The desk process, which has Rasa's API token and
already runs a background loop (agent_desk/notifier.py), looks at each noted conversation:
if its last message asked for a person (or the handoff slot is set) and nobody has it yet,
it runs `action_handoff` through Rasa's API, which opens the ticket, tells the customer in
their channel and pauses the assistant. While a part is still down, the conversation stays
noted and is tried again on the next pass.
"""

from __future__ import annotations

import logging
from typing import Any

import redis

from agent_desk.rasa_api import RasaClient, RasaUnavailable
from contract import keys
from contract.events import intent_of
from contract.slots import LIVE_AGENT_HANDOFF

logger = logging.getLogger(__name__)
HANDOFF_ACTION = "action_handoff"


def last_intent(tracker: dict[str, Any]) -> str | None:
    """The intent of the customer's last message, even one Rasa reverted.

    With the action server down, Rasa falls back on the failed turn and reverts the message
    (a `rewind` event), which empties `latest_message`: the request is still in the events.
    """
    for event in reversed(tracker.get("events") or []):
        if event.get("event") == "user":
            return intent_of(event)
    return None


def wants_a_person(tracker: dict[str, Any], intents: frozenset[str]) -> bool:
    """The last message asked for a person and nobody has the conversation yet."""
    if tracker.get("paused"):
        return False
    return last_intent(tracker) in intents or bool(
        (tracker.get("slots") or {}).get(LIVE_AGENT_HANDOFF)
    )


class HandoffRecovery:
    """One pass over the noted conversations (`run_once`), called by the desk's loop."""

    def __init__(self, client: redis.Redis, rasa: RasaClient, intents: frozenset[str]) -> None:
        """Dependencies are passed in; nothing is contacted here."""
        self._redis = client
        self._rasa = rasa
        self._intents = intents

    def run_once(self) -> list[str]:
        """Hands over every noted conversation that asked for a person; returns their ids."""
        handed: list[str] = []
        for raw in self._redis.smembers(keys.UNDELIVERED):
            conversation = raw.decode() if isinstance(raw, bytes) else str(raw)
            try:
                if self._redis.exists(keys.conversation_ticket(conversation)):
                    pass  # ticketed meanwhile (the customer sent it again)
                elif wants_a_person(self._rasa.tracker(conversation), self._intents):
                    self._rasa.execute(conversation, HANDOFF_ACTION)
                    # Rasa answers 200 even when the action server is down: trust the ticket.
                    if not self._redis.exists(keys.conversation_ticket(conversation)):
                        raise RasaUnavailable("the handoff action did not open a ticket")
                    handed.append(conversation)
            except RasaUnavailable as error:
                logger.info("recovery of a conversation postponed: %s", error)
                continue
            self._redis.srem(keys.UNDELIVERED, conversation)
        return handed
