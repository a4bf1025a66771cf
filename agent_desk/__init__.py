"""The agent desk: the web page where live agents take over handed-over conversations.

Run with `python -m agent_desk` (the launcher starts it after the Rasa server). It reads
tickets from Redis (tickets/), the live conversation from Rasa's HTTP API, order facts from
the shop, and sends the agent's replies and the hand-back through Rasa's HTTP API so they
reach the customer in the channel they wrote from.
"""
