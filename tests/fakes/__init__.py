"""Local stand-ins for the chat platforms' Web APIs, run on loopback by the channel tests.

Each fake answers like the real API for the calls the connectors make and records every call,
so a test can assert what a customer in Slack or Telegram would have seen.
"""
