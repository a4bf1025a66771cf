"""Requests for a person that could not be ticketed when made are ticketed once it is possible.

When the action server (or Rasa) is down, a customer's "I want a person" cannot run the
handoff: the channel tells them it did not go through and notes the conversation in Redis
(`cs:undelivered_requests`, addons/channels/delivery.py). The message itself is not in the
conversation (a message is either answered or not stored); the tracker store notes its intent
and masked text beside it. The desk process, which has Rasa's API token and already runs a
background loop (agent_desk/notifier.py), looks at each noted conversation: if the noted
message or the conversation's last one asked for a person (or the handoff slot is set) and
nobody has it yet, it adds the noted message to the conversation (so the agent reads what was
asked, once) and runs `action_handoff` through Rasa's API, which opens the ticket, tells the
customer in their channel and pauses the assistant. While a part is still down, the
conversation stays noted and is tried again on the next pass.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import redis

from agent_desk.rasa_api import RasaClient, RasaUnavailable
from contract import keys
from contract.at_rest import SealError, sealer
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


def request_event(request: dict[str, Any]) -> dict[str, Any]:
    """The noted message as the user event Rasa would have stored (text already masked)."""
    text = request.get("text") or ""
    return {
        "event": "user",
        "text": text,
        "timestamp": request.get("timestamp"),
        "input_channel": request.get("input_channel"),
        "metadata": request.get("metadata") or {},
        "parse_data": {
            "intent": {"name": request["intent"], "confidence": 1.0},
            "entities": [],
            "text": text,
        },
    }


def user_times(tracker: dict[str, Any]) -> list[float]:
    """When each stored customer message was sent."""
    events = tracker.get("events") or []
    return [float(e.get("timestamp") or 0.0) for e in events if e.get("event") == "user"]


def noted_request(raw: Any) -> dict[str, Any]:
    """The request the tracker store noted (sealed: it may hold an email) for a conversation;
    {} when none was, or it cannot be read."""
    text = raw.decode() if isinstance(raw, bytes) else str(raw or "{}")
    try:
        value = json.loads(sealer().open(text))
    except (ValueError, SealError):
        return {}
    return value if isinstance(value, dict) else {}


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
        for raw, noted in self._redis.hgetall(keys.UNDELIVERED).items():
            conversation = raw.decode() if isinstance(raw, bytes) else str(raw)
            request = noted_request(noted)
            try:
                if self._redis.exists(keys.conversation_ticket(conversation)):
                    pass  # ticketed meanwhile (the customer sent it again)
                elif self._hand_over(conversation, request):
                    # Rasa answers 200 even when the action server is down: trust the ticket.
                    if not self._redis.exists(keys.conversation_ticket(conversation)):
                        raise RasaUnavailable("the handoff action did not open a ticket")
                    handed.append(conversation)
            except RasaUnavailable as error:
                logger.info("recovery of a conversation postponed: %s", error)
                continue
            self._redis.hdel(keys.UNDELIVERED, conversation)
        return handed

    def _hand_over(self, conversation: str, request: dict[str, Any]) -> bool:
        """Runs the handoff when the noted message or the stored conversation asks for a
        person nobody gave yet, the noted message added first (once); False if neither did."""
        tracker = self._rasa.tracker(conversation)
        times = user_times(tracker)
        when = float(request.get("timestamp") or 0.0)
        # Still the latest request: nothing the customer sent later went through.
        asked = (
            request.get("intent") in self._intents
            and not tracker.get("paused")
            and all(t <= when for t in times)
        )
        if not (asked or wants_a_person(tracker, self._intents)):
            return False
        if asked and when not in times:  # not added by an earlier pass
            self._rasa.append(conversation, [request_event(request)])
        self._rasa.execute(conversation, HANDOFF_ACTION)
        return True
