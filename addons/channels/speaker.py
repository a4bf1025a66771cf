"""Who speaks in a bot message, and whether it hands the conversation over or back.

Every bot message reaches a channel as one dict (Rasa's `BotUttered.message()`): its text and
buttons merged with the event's metadata; `contract.metadata` names the two marks read from it
(who wrote it, and which domain response it was made from); see addons/channels/README.md, "Agent
desk contract".
Channels use this to label a person's words and the web widget to say when a person has
joined and when the assistant is back, so a customer always knows who is writing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from contract.metadata import (
    AGENT,
    AGENT_METADATA_KEY,
    ASSISTANT,
    CLAIMED_BY_METADATA_KEY,
    HANDOFF_RESPONSE_PREFIX,
    RESPONSE_AGENT_JOINED,
    RESPONSE_BACK,
    RESPONSE_CLOSED,
    RESPONSE_METADATA_KEY,
    RESPONSE_UNAVAILABLE,
)

HANDOFF = "handoff"
JOINED = "joined"
HANDBACK = "handback"
# domain/handoff.yml: the responses that move the conversation between assistant and person.
# Any other utter_handoff_* response is said while the customer waits for a person.
RESPONSE_EVENTS = {
    RESPONSE_AGENT_JOINED: JOINED,
    RESPONSE_BACK: HANDBACK,
    RESPONSE_CLOSED: HANDBACK,
    RESPONSE_UNAVAILABLE: None,  # nobody was alerted: the assistant carries on
}


@dataclass(frozen=True)
class Speaker:
    """The author of one bot message and what it means for the conversation."""

    role: str
    agent_name: str | None = None
    # HANDOFF, JOINED, HANDBACK or None for an ordinary message.
    event: str | None = None
    # Made by the assistant's dialogue (it names a response), not typed in at the agent desk.
    automated: bool = False

    def as_metadata(self) -> dict[str, Any]:
        """The form the web widget receives (live and in the history it replays)."""
        return {
            "speaker": self.role,
            "agent_name": self.agent_name,
            "event": self.event,
            "automated": self.automated,
        }


def speaker_of(message: Mapping[str, Any]) -> Speaker:
    """Reads a bot message's metadata; a message without an agent's name is the assistant's."""
    name = message.get(AGENT_METADATA_KEY)
    if name:
        return Speaker(AGENT, agent_name=str(name))
    response = str(message.get(RESPONSE_METADATA_KEY) or "")
    if response in RESPONSE_EVENTS:
        event = RESPONSE_EVENTS[response]
    else:
        event = HANDOFF if response.startswith(HANDOFF_RESPONSE_PREFIX) else None
    # The person who claimed the conversation, named on the "has joined" notice.
    claimed_by = message.get(CLAIMED_BY_METADATA_KEY) if event == JOINED else None
    return Speaker(
        ASSISTANT,
        agent_name=str(claimed_by) if claimed_by else None,
        event=event,
        automated=bool(response),
    )


def labelled_text(message: Mapping[str, Any]) -> str | None:
    """The text as a plain-text chat shows it: a person's reply starts with who wrote it."""
    text = message.get("text")
    speaker = speaker_of(message)
    if not text or speaker.role != AGENT:
        return text
    return f"{speaker.agent_name} (support team): {text}"


class LabelsPeople:
    """Mixin for a text channel's OutputChannel: a person's replies carry their name."""

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """Rewrites the text, then sends as the channel always does."""
        await super().send_response(  # type: ignore[misc]
            recipient_id, {**message, "text": labelled_text(message)}
        )
