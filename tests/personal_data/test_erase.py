"""Retention and "forget this customer" over a real Redis (personal_data/)."""

from __future__ import annotations

import time

import pytest
import redis
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from addons.stores.tracker_store import AppendOnlyRedisTrackerStore
from agent_desk.mail_outbox import MailOutbox
from contract import keys
from contract.at_rest import sealer
from contract.follow_up import FollowUp
from harness.redis_server import RedisServer
from harness.ticket_helpers import draft
from personal_data.__main__ import main
from tickets.store import TicketStore

DAY_S = 24 * 3600
NOW = time.time()


async def conversation(
    store: AppendOnlyRedisTrackerStore, sender: str, text: str, at: float
) -> None:
    """A conversation whose events all happened at `at`."""
    events = [
        ActionExecuted("action_session_start", timestamp=at),
        SessionStarted(timestamp=at),
        UserUttered(text, {"name": "inform", "confidence": 1.0}, timestamp=at),
        BotUttered("thanks", timestamp=at),
    ]
    await store.save(DialogueStateTracker.from_events(sender, events))


@pytest.fixture
def client(redis_server: RedisServer) -> redis.Redis:
    return redis.Redis(port=redis_server.port, decode_responses=True)


@pytest.fixture
async def filled(redis_server: RedisServer, store: TicketStore, client: redis.Redis) -> None:
    """Ann (old, with a ticket), Ann again (recent), Bob (recent, with a ticket)."""
    trackers = AppendOnlyRedisTrackerStore(Domain.empty(), host="127.0.0.1", port=redis_server.port)
    await conversation(trackers, "ann-old", "it is ann@example.com", NOW - 100 * DAY_S)
    await conversation(trackers, "ann-new", "ANN@example.com, order 10001", NOW - DAY_S)
    await conversation(trackers, "bob", "bob@example.com here", NOW - DAY_S)
    for sender in ("ann-old", "bob"):
        store.open_ticket(draft(sender))
        client.rpush(keys.turns(sender), '{"text": "x"}')
    client.zadd(keys.contacts("email", "ann@example.com"), {"delivery||ann-new": NOW})


def remaining(client: redis.Redis) -> set[str]:
    """Conversations with events, and conversations with a ticket."""
    conversations = {k.split(":")[2] for k in client.scan_iter(keys.tracker_events("*"))}
    tickets = {
        client.hget(k, "conversation_id")
        for k in client.scan_iter(keys.ticket("*"))
        if not k.endswith(":history")
    }
    return conversations | {f"ticket:{t}" for t in tickets}


@pytest.mark.usefixtures("filled")
def test_retention_deletes_conversations_idle_longer_than_the_setting(
    redis_server: RedisServer,
    client: redis.Redis,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    monkeypatch.setenv("RETENTION_DAYS", "90")
    assert main(["purge"]) == 0
    assert "deleted 1 conversations and 1 tickets" in capsys.readouterr().out
    assert remaining(client) == {"ann-new", "bob", "ticket:bob"}
    assert not client.exists(keys.turns("ann-old")) and client.exists(keys.turns("bob"))
    assert client.zcard(keys.TICKETS_OPEN) == 1


@pytest.mark.usefixtures("filled")
def test_forgetting_a_customer_deletes_every_conversation_and_ticket_about_them(
    redis_server: RedisServer, client: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    assert main(["forget", "Ann@Example.com"]) == 0
    assert remaining(client) == {"bob", "ticket:bob"}
    assert not client.exists(keys.contacts("email", "ann@example.com"))
    assert not client.exists(keys.turns("ann-old"))
    assert sealer().pseudonym("ann@example.com") not in repr(list(client.scan_iter("*")))
    main(["forget", "bob"])  # a conversation id works too
    assert remaining(client) == set()


@pytest.mark.usefixtures("filled")
def test_forgetting_an_email_left_for_a_reply_deletes_it_and_the_emails_sent_there(
    redis_server: RedisServer,
    store: TicketStore,
    client: redis.Redis,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Cara never typed her address in the chat: she left it in the widget's email step.
    ticket, _ = store.open_ticket(draft("cara"))
    client.hset(keys.follow_up("cara"), mapping=FollowUp("cara@example.com", NOW).to_hash())
    outbox = MailOutbox(client, 30, 3)
    outbox.queue(ticket.reference, "cara@example.com", "Reply", "Hello Cara", NOW)
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    assert main(["forget", "cara@example.com"]) == 0
    assert not client.exists(keys.follow_up("cara"))
    assert outbox.for_ticket(ticket.reference) == []
    assert client.zcard(keys.MAIL_DUE) == 0
    assert "ticket:cara" not in remaining(client)
