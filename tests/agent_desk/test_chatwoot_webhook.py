"""Chatwoot's webhook in the agent desk (agent_desk/chatwoot_hook.py), over real HTTP: the fake
Chatwoot (tests/fakes/chatwoot.py, written from Chatwoot's documentation, cited in
tests/tickets/test_chatwoot.py) posts its events to the desk, which talks to a loopback Rasa
API and a real Redis.

Checked: agents' replies reach the customer's conversation (once, however often Chatwoot sends
them), resolving hands back like the desk's hand-back, the customer's own messages and private
notes are never echoed, out-of-order events, the secret, and the analytics counts.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from werkzeug.serving import make_server

from agent_desk.accounts import Agent
from agent_desk.desk import DeskError
from contract import keys
from contract.metadata import AGENT_METADATA_KEY
from harness.redis_server import RedisServer
from tests.agent_desk.desk_helpers import DeskUnderTest, running_desk
from tests.fakes.chatwoot import ACCOUNT_ID, INBOX_ID, FakeChatwoot
from tests.tickets.test_chatwoot import TOKEN
from tickets.chatwoot import ChatwootClient, forward_customer_message, open_conversation
from tickets.model import CLAIMED, CLOSED, HANDED_BACK, WAITING
from tickets.settings import ChatwootAccount
from tickets.store import connect

SECRET = "webhook-secret-0123456789"


class System:
    """The desk serving the webhook, the fake Chatwoot pointed at it, one handed-over ticket."""

    def __init__(self, desk: DeskUnderTest, base_url: str, chatwoot: FakeChatwoot) -> None:
        self.desk = desk
        self.base_url = base_url
        self.chatwoot = chatwoot
        self.client = ChatwootClient(ChatwootAccount(chatwoot.url, ACCOUNT_ID, INBOX_ID, TOKEN, 2))
        self.conversation = "cust-1"
        self.reference = desk.ticket(self.conversation, order_number="10003")
        ticket = desk.store.get(self.reference)
        assert ticket is not None
        self.chatwoot_id = open_conversation(self.client, ticket)
        desk.store.link_chatwoot(self.reference, self.chatwoot_id)

    @property
    def display_id(self) -> int:
        return int(self.chatwoot_id)

    def customer_received(self) -> list[str]:
        """Bot events appended to the customer's conversation after the handoff."""
        return self.desk.rasa.bot_texts(self.conversation)


@pytest.fixture
def system(redis_server: RedisServer, shop_server: str, tmp_path: Path) -> Iterator[System]:
    """Desk (HANDOFF_TARGET=chatwoot) behind a real HTTP server, and the fake Chatwoot."""
    environ = {"HANDOFF_TARGET": "chatwoot", "CHATWOOT_WEBHOOK_SECRET": SECRET}
    chatwoot = FakeChatwoot(TOKEN)
    chatwoot.start()
    with running_desk(redis_server.url, shop_server, tmp_path, environ) as desk:
        server = make_server("127.0.0.1", 0, desk.app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        base_url = f"http://127.0.0.1:{server.server_port}"
        chatwoot.webhook_url = f"{base_url}/chatwoot/webhook/{SECRET}"
        try:
            yield System(desk, base_url, chatwoot)
        finally:
            server.shutdown()
            thread.join()
            chatwoot.stop()


def test_an_agents_reply_reaches_the_customer_once(system: System) -> None:
    # Our own notes came back as message_created webhooks too, and were ignored.
    system.chatwoot.wait_for(lambda: len(system.chatwoot.webhook_answers) >= 2)
    assert all(
        done["done"] == "ignored: private note" for _, _, done in system.chatwoot.webhook_answers
    )

    payload = system.chatwoot.agent_reply(system.display_id, "Hi, I'm Dana. Checking 10003 now.")
    assert system.chatwoot.send(payload) == 200  # Chatwoot delivering it again
    texts = system.customer_received()
    assert texts.count("Hi, I'm Dana. Checking 10003 now.") == 1
    assert texts[-2].startswith("Dana from our support team has joined")
    reply = [e for e in system.desk.rasa.events[system.conversation] if e.get("event") == "bot"][-1]
    assert reply["metadata"][AGENT_METADATA_KEY] == "Dana"
    appended = system.desk.rasa.appended[-1]
    assert appended["query"]["output_channel"] == ["latest"]
    ticket = system.desk.store.get(system.reference)
    assert ticket is not None and ticket.status == CLAIMED and ticket.holder_name == "Dana"

    system.chatwoot.agent_reply(system.display_id, "Found it: it ships tomorrow.", agent="Lee")
    assert system.customer_received()[-1] == "Found it: it ships tomorrow."
    joined = [t for t in system.customer_received() if "joined" in t]
    assert len(joined) == 1, "the customer is told once that a person joined"


def test_the_customers_own_messages_and_notes_are_never_echoed(system: System) -> None:
    before = list(system.customer_received())
    forward_customer_message(system.client, system.chatwoot_id, "hello? anyone there?")
    system.chatwoot.private_note(system.display_id, "colleagues: VIP customer")
    system.chatwoot.wait_for(lambda: len(system.chatwoot.webhook_answers) >= 4)
    answers = [done["done"] for _, _, done in system.chatwoot.webhook_answers]
    assert "ignored: not an agent's reply" in answers
    assert answers.count("ignored: private note") == 3
    assert system.customer_received() == before
    # A contact's "outgoing" message (a confused integration) is no agent reply either.
    message = system.chatwoot.conversations[system.display_id]["messages"][-1]
    forged = system.chatwoot.message_payload(
        {**message, "id": 999, "private": False, "sender": {"id": 1, "type": "contact"}}
    )
    assert system.chatwoot.send(forged) == 200
    assert system.customer_received() == before


def test_resolving_hands_back_once_like_the_desk(system: System) -> None:
    system.chatwoot.agent_reply(system.display_id, "Sorted: a replacement is on its way.")
    payload = system.chatwoot.resolve(system.display_id)
    assert system.chatwoot.send(payload) == 200  # a retry
    events = system.desk.rasa.events[system.conversation]
    assert [e["event"] for e in events].count("resume") == 1
    resume_at = [e["event"] for e in events].index("resume")
    assert {"event": "slot", "name": "live_agent_handoff", "value": False} in events[resume_at:]
    assert events[-1] == {"event": "action", "name": "action_listen"}
    assert system.desk.rasa.tracker(system.conversation)["paused"] is False
    ticket = system.desk.store.get(system.reference)
    assert ticket is not None and (ticket.status, ticket.outcome) == (CLOSED, HANDED_BACK)
    assert system.desk.store.open_for_conversation(system.conversation) is None
    # The desk's figures count the Chatwoot agent's claim and first reply like a desk agent's.
    day = system.desk.desk.recorder.day(ticket.created_at)
    counts = connect(system.desk.settings.redis_url).hgetall(keys.analytics_day(day))
    assert float(counts["claimed|rest|"]) == 1 and float(counts["replied|rest|"]) == 1


def test_out_of_order_a_reply_after_its_resolution_still_arrives(system: System) -> None:
    message = system.chatwoot.conversations[system.display_id]
    reply = system.chatwoot.message_payload(
        {
            "id": 555,
            "content": "One last thing: your refund reference is R-1.",
            "message_type": "outgoing",
            "private": False,
            "created_at": "2020-03-03 13:05:57 UTC",  # written before the resolution
            "sender": {"id": 5, "name": "Dana", "type": "user"},
            "conversation_id": message["id"],
        }
    )
    system.chatwoot.resolve(system.display_id)  # arrives first
    assert system.chatwoot.send(reply) == 200
    assert system.customer_received()[-1] == "One last thing: your refund reference is R-1."
    # A reply written well after the hand-back is not pushed into the assistant's conversation.
    late = {**reply, "id": 556, "content": "hello again", "created_at": 4_000_000_000}
    assert system.chatwoot.send(late) == 200
    assert "hello again" not in system.customer_received()
    # An "open" status arriving late changes nothing.
    reopened = {**system.chatwoot.resolve(system.display_id), "status": "open"}
    assert system.chatwoot.send(reopened) == 200
    assert [e["event"] for e in system.desk.rasa.events[system.conversation]].count("resume") == 1


def test_resolving_without_a_reply_still_hands_back(system: System) -> None:
    system.chatwoot.resolve(system.display_id)
    ticket = system.desk.store.get(system.reference)
    assert ticket is not None and ticket.status == CLOSED
    assert not any("joined" in text for text in system.customer_received())


def test_rasa_down_answers_503_and_the_retry_delivers(system: System) -> None:
    system.desk.rasa.down = True
    payload = system.chatwoot.agent_reply(system.display_id, "Are you still there?")
    assert system.chatwoot.webhook_answers[-1][1] == 503
    system.desk.rasa.down = False
    assert system.chatwoot.send(payload) == 200
    assert system.customer_received().count("Are you still there?") == 1


def test_the_webhook_needs_the_secret(system: System) -> None:
    payload = system.chatwoot.message_payload(
        {
            "id": 777,
            "content": "forged",
            "message_type": "outgoing",
            "private": False,
            "created_at": 1,
            "sender": {"type": "user", "name": "Mallory"},
            "conversation_id": system.display_id,
        }
    )
    base = f"{system.base_url}/chatwoot/webhook"
    assert system.chatwoot.send(payload, f"{base}/wrong-secret-0123456789") == 403
    assert system.chatwoot.send(payload, base) == 403
    assert (
        requests.post(base, json=payload, headers={"X-Chatwoot-Webhook-Secret": "x"}).status_code
        == 403
    )
    assert "forged" not in system.customer_received()
    headers = {"X-Chatwoot-Webhook-Secret": SECRET}
    assert requests.post(base, data="not json", headers=headers, timeout=10).status_code == 400
    assert requests.post(base, json=payload, headers=headers, timeout=10).status_code == 200
    assert "forged" in system.customer_received()


def test_desk_agents_cannot_take_a_chatwoot_conversation(system: System) -> None:
    with pytest.raises(DeskError, match="handled in Chatwoot"):
        system.desk.desk.claim(system.reference, Agent("alex", "Alex"))
    ticket = system.desk.store.get(system.reference)
    assert ticket is not None and ticket.status == WAITING


def test_without_chatwoot_as_target_the_webhook_is_not_there(desk: DeskUnderTest) -> None:
    client = desk.app.test_client()
    assert client.post(f"/chatwoot/webhook/{SECRET}", json={}).status_code == 404


def test_a_reply_without_the_private_field_is_public(system: System) -> None:
    # The general sample in Chatwoot's webhook guide has no `private`; the event samples do.
    payload = system.chatwoot.agent_reply(system.display_id, "First reply.")
    bare = {k: v for k, v in payload.items() if k != "private"} | {"id": 888, "content": "Hi!"}
    assert system.chatwoot.send(bare) == 200
    assert system.customer_received()[-1] == "Hi!"
    note = bare | {"id": 889, "content": "internal", "private": "true"}
    assert system.chatwoot.send(note) == 200
    assert "internal" not in system.customer_received()
