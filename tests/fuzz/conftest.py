"""The fuzz suite runs against the channel tests' system (Slack and Telegram on, local fakes),
started once per session: tests/channels/conftest.py."""

from tests.channels.conftest import channel_system

__all__ = ["channel_system"]
