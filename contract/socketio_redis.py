"""python-socketio's Redis managers with their client from the project's one factory.

The Rasa servers share socket.io rooms through Redis (addons/channels/webchat.py) and the desk
publishes into them (agent_desk/typing_signal.py). python-socketio builds its own client from
the URL; here it comes from `settings.redis_target` instead, so a redis+sentinel:// target
finds the current primary again after a failover, like every other part. Publishing retries
once; the listener reconnects on its own after an error (python-socketio's own loops).
"""

from __future__ import annotations

import socketio

from settings.redis_target import connect, connect_async


class AsyncRedisManager(socketio.AsyncRedisManager):
    """The Rasa servers' manager (`url`: redis:// or redis+sentinel://)."""

    def _redis_connect(self) -> None:
        # No read timeout: the listener waits on the channel for as long as nobody chats.
        self.redis = connect_async(self.redis_url, timeout_s=None)
        self.pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        self.connected = True


class RedisManager(socketio.RedisManager):
    """The desk's write-only manager (`url`: redis:// or redis+sentinel://)."""

    def _redis_connect(self) -> None:
        self.redis = connect(self.redis_url, decode_responses=False, timeout_s=None)
        self.pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        self.connected = True
