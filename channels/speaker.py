"""Who speaks in a bot message: the assistant or a person from the support team.

Every bot message reaches a channel as one dict (Rasa's `BotUttered.message()`): its text and
buttons plus the event's metadata. The agent desk marks a person's replies and the hand-back
in that metadata (see channels/README.md, "Agent desk contract"); the assistant's own handoff
messages are recognised by their response name. Channels use this to label a person's words,
so a customer always knows whether a person or the assistant is writing.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional

AGENT = "agent"
ASSISTANT = "assistant"
# Responses named utter_handoff_* tell the customer a person takes over (domain/handoff.yml).
HANDOFF_RESPONSE_PREFIX = "utter_handoff_"


@dataclass(frozen=True)
class Speaker:
    """The author of one bot message and what it means for the conversation."""

    role: str
    agent_name: Optional[str] = None
    # The assistant hands the conversation to a person with this message.
    handoff: bool = False
    # A person hands the conversation back to the assistant with this message.
    handback: bool = False

    def as_metadata(self) -> dict:
        """The form the web widget receives (and replays from history)."""
        return {
            "speaker": self.role,
            "agent_name": self.agent_name,
            "handoff": self.handoff,
            "handback": self.handback,
        }


def speaker_of(message: Mapping[str, Any]) -> Speaker:
    """Reads a bot message's metadata; anything unmarked is the assistant."""
    if message.get("sender") == AGENT:
        name = message.get("agent_name")
        return Speaker(AGENT, agent_name=str(name) if name else None)
    return Speaker(
        ASSISTANT,
        handoff=str(message.get("utter_action") or "").startswith(HANDOFF_RESPONSE_PREFIX),
        handback=bool(message.get("handback")),
    )


def labelled_text(message: Mapping[str, Any]) -> Optional[str]:
    """The text as a plain-text chat shows it: a person's reply starts with who wrote it."""
    text = message.get("text")
    speaker = speaker_of(message)
    if not text or speaker.role != AGENT:
        return text
    who = speaker.agent_name or "A person"
    return f"{who} (support team): {text}"


class LabelsPeople:
    """Mixin for a text channel's OutputChannel: a person's replies carry their name."""

    async def send_response(self, recipient_id: str, message: dict) -> None:
        """Rewrites the text, then sends as the channel always does."""
        await super().send_response(  # type: ignore[misc]
            recipient_id, {**message, "text": labelled_text(message)}
        )
