"""Handoff tickets: what a live agent needs to take over a conversation, kept in Redis.

Shared by the action server (actions/handoff.py creates a ticket when the assistant hands
over) and the agent desk (agent_desk/ shows, claims and closes them). Nothing here imports
Rasa or Flask, so both processes and the report command can use it.
"""
