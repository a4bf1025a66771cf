"""Tells a web-chat customer that a person is writing to them ("Sam is writing...").

It exists because Rasa's HTTP API has no typing event: the desk publishes straight into the
socket.io rooms the Rasa servers share through Redis (addons/channels/webchat.py), as one more Rasa
server would, with python-socketio's write-only RedisManager. Only the web widget listens to
`agent_typing`; other channels never see it.
"""

from __future__ import annotations

from contract import keys
from contract.socketio_redis import RedisManager

TYPING_EVENT = "agent_typing"


class TypingSignal:
    """Publishes `agent_typing` to a conversation's socket.io room."""

    def __init__(self, redis_url: str) -> None:
        """Write-only: no listener thread, one Redis connection used on demand."""
        self._manager = RedisManager(redis_url, channel=keys.SOCKETIO_CHANNEL, write_only=True)

    def agent_typing(self, conversation_id: str, agent_name: str) -> None:
        """The widget shows "<agent_name> is writing..." for a few seconds."""
        self._manager.emit(
            TYPING_EVENT, {"agent_name": agent_name}, room=conversation_id, namespace="/"
        )
