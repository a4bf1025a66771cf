"""Handoff limits (config/desk.yml `handoff_limits`, tickets/rate_limit.py) on a real Redis:
per conversation and per client address, with the customer told when no ticket opens."""

from __future__ import annotations

import copy
import time
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionHandoff, get_handoff_limiter
from contract.metadata import CLIENT_ADDRESS_KEY
from tests.agent_desk.test_handoff_action import conversation, domain, staffed, tracker  # noqa: F401
from tickets.settings import load_ticket_config
from tickets.store import TicketStore

# Fixtures shared with the handoff action's tests: `domain` (module-scoped) and `staffed`
# (always staffed, with the shipped limits: 3 per conversation, 10 per address an hour).
__all__ = ["domain", "staffed"]


async def ask_for_person(
    sender: str, domain: dict[str, Any], address: str | None = None
) -> tuple[list[str], list[str]]:
    """The responses the customer gets and the event types, for one request for a person."""
    events = copy.deepcopy(conversation())
    if address:
        events[-1]["metadata"] = {CLIENT_ADDRESS_KEY: address}
    dispatcher = CollectingDispatcher()
    result = await ActionHandoff().run(
        dispatcher,
        tracker(sender, {"handoff_reason": "customer_request"}, events),
        domain,
    )
    return [m["response"] for m in dispatcher.messages], [e["event"] for e in result]


def close(store: TicketStore, sender: str) -> None:
    """An agent takes the conversation and finishes it, so the next request needs a new ticket."""
    ticket = store.open_for_conversation(sender)
    assert ticket is not None
    store.claim(ticket.reference, "sam", "Sam", time.time())
    assert store.finish(ticket.reference, "sam", "resolved", time.time())


async def test_one_conversation_opens_at_most_three_tickets_an_hour(
    staffed: TicketStore, domain: dict[str, Any]
) -> None:
    for _ in range(3):
        responses, events = await ask_for_person("looping", domain)
        assert "pause" in events and "utter_handoff_limited" not in responses
        # Asking again while the ticket is open keeps that ticket and costs nothing.
        await ask_for_person("looping", domain)
        close(staffed, "looping")

    responses, events = await ask_for_person("looping", domain)
    assert responses == ["utter_handoff_limited"]
    assert "pause" not in events
    assert staffed.open_for_conversation("looping") is None
    # Another conversation is not affected.
    assert "pause" in (await ask_for_person("someone-else", domain))[1]


async def test_one_address_opens_at_most_ten_tickets_an_hour(
    staffed: TicketStore, domain: dict[str, Any]
) -> None:
    for n in range(10):
        assert "pause" in (await ask_for_person(f"script-{n}", domain, "203.0.113.7"))[1]
    responses, events = await ask_for_person("script-10", domain, "203.0.113.7")
    assert responses == ["utter_handoff_limited"] and "pause" not in events
    assert staffed.open_for_conversation("script-10") is None
    assert "pause" in (await ask_for_person("neighbour", domain, "198.51.100.4"))[1]


async def test_the_machine_itself_is_limited_like_any_address(
    staffed: TicketStore, domain: dict[str, Any]
) -> None:
    """Finding 2: loopback was exempt, so behind a same-host proxy or tunnel (every customer
    is 127.0.0.1) tickets were unlimited. Now it is exempt only where the environment says so."""
    opened = [
        "pause" in (await ask_for_person(f"local-{n}", domain, "127.0.0.1"))[1] for n in range(15)
    ]
    assert opened == [True] * 10 + [False] * 5


async def test_exempt_addresses_come_from_the_environment(
    staffed: TicketStore, domain: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RATE_LIMIT_EXEMPT_ADDRESSES", "127.0.0.0/8, ::1")
    load_ticket_config.cache_clear()
    get_handoff_limiter.cache_clear()
    for n in range(12):
        assert "pause" in (await ask_for_person(f"local-{n}", domain, "127.0.0.2"))[1]
