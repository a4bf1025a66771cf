"""HANDOFF_TARGET=chatwoot end to end: the whole system (Redis, shop, action server, Rasa,
agent desk) as the launcher starts it, with the fake Chatwoot (tests/fakes/chatwoot.py) in
place of a real one.

A frustrated customer on Rasa's callback channel (REST in, HTTP push out, so an agent's reply
really arrives: tests/agent_desk/callback_customer.py) is handed over; Chatwoot gets a
conversation with the transcript, a private note and labels; the customer's next message
follows as an incoming message; the fake sends an agent's reply (message_created) and the
customer receives it; the fake resolves the conversation (conversation_status_changed) and the
assistant answers again.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.helpers import REPO_ROOT
from harness.stacks import private_env, rasa_tracker
from launcher.settings import load_stack_settings
from launcher.stack import Stack
from tests.agent_desk.callback_customer import CallbackCustomer, Inbox, running_inbox
from tests.agent_desk.test_e2e_browser import use_credentials
from tests.fakes.chatwoot import ACCOUNT_ID, INBOX_ID, FakeChatwoot
from tickets.model import CLOSED, HANDED_BACK
from tickets.store import TicketStore, connect

TOKEN = "e2e-chatwoot-token"
SECRET = "e2e-chatwoot-webhook-secret"
MODEL = REPO_ROOT / "models" / "assistant.tar.gz"


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Stack, Inbox, FakeChatwoot]]:
    """The running system handing over to the fake Chatwoot, which posts to the desk."""
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: train it first with deploy/setup.sh")
    tmp_path = tmp_path_factory.mktemp("chatwoot")
    chatwoot = FakeChatwoot(TOKEN)
    chatwoot.start()
    public = {
        "HANDOFF_TARGET": "chatwoot",
        "CHATWOOT_URL": chatwoot.url,
        "CHATWOOT_ACCOUNT_ID": str(ACCOUNT_ID),
        "CHATWOOT_INBOX_ID": str(INBOX_ID),
    }
    secrets = {"CHATWOOT_API_TOKEN": TOKEN, "CHATWOOT_WEBHOOK_SECRET": SECRET}
    env = private_env(tmp_path / "var", "chatwoot-e2e-token") | public | secrets
    settings = load_stack_settings(env)
    with running_inbox() as inbox, pytest.MonkeyPatch.context() as patch:
        for name, value in public.items():
            patch.setenv(name, value)
        stack = Stack(settings)
        use_credentials(stack, tmp_path / "credentials.yml", inbox)
        stack.start(report=print)
        chatwoot.webhook_url = f"{settings.desk_url}/chatwoot/webhook/{SECRET}"
        try:
            yield stack, inbox, chatwoot
        finally:
            stack.stop()
            chatwoot.stop()


def test_a_frustrated_customer_is_handed_to_chatwoot_and_back(
    system: tuple[Stack, Inbox, FakeChatwoot],
) -> None:
    stack, inbox, chatwoot = system
    customer = CallbackCustomer(stack.settings.rasa_url, inbox)
    turns = [
        "where is my order 10009?",
        "it was supposed to be here last week. this is not ok",
        "why does nobody answer!! this is a joke",
        "UNBELIEVABLE. I am furious.",
    ]
    for text in turns:
        customer.say(text)
        if rasa_tracker(stack.settings, customer.sender_id)["paused"]:
            break
    tracker = rasa_tracker(stack.settings, customer.sender_id)
    assert tracker["paused"], f"not handed over; the customer got {customer.received()}"
    assert tracker["slots"]["handoff_reason"] == "frustration"
    customer.wait_for(lambda text: "a person will take over" in text.lower())

    # Chatwoot has the conversation, with the transcript and the note as private notes.
    conversation = chatwoot.only_conversation()
    display_id = int(conversation["id"])
    transcript, note = conversation["messages"][:2]
    assert transcript["private"] and "Customer: where is my order 10009?" in transcript["content"]
    assert note["private"] and "Customer is frustrated" in note["content"]
    assert "Mood: frustrated" in note["content"] or "Mood: annoyed" in note["content"]
    assert "handoff-frustration" in conversation["labels"]
    store = TicketStore(connect(stack.settings.redis.url), 0.0)
    ticket = store.open_for_conversation(customer.sender_id)
    assert ticket is not None and ticket.chatwoot_conversation_id == str(display_id)

    # What the customer writes while paused reaches the agent in Chatwoot, not back to them.
    before = len(customer.received())
    customer.say("hello?? is anyone there")
    chatwoot.wait_for(
        lambda: any(m["content"] == "hello?? is anyone there" for m in conversation["messages"])
    )
    forwarded = [m for m in conversation["messages"] if m["content"] == "hello?? is anyone there"]
    assert forwarded[0]["message_type"] == "incoming"

    # An agent answers in Chatwoot: the customer receives it in their channel.
    chatwoot.agent_reply(display_id, "Hi, Dana here. Your parcel 10009 is at the depot.")
    customer.wait_for(lambda text: "parcel 10009 is at the depot" in text, after=before)
    assert chatwoot.webhook_answers[-1][1] == 200
    assert not any("hello?? is anyone there" in text for text in customer.received())

    # Resolving in Chatwoot hands the customer back to the assistant.
    after_reply = len(customer.received())
    chatwoot.resolve(display_id)
    customer.wait_for(lambda text: "back with the automated assistant" in text, after=after_reply)
    assert rasa_tracker(stack.settings, customer.sender_id)["paused"] is False
    closed = store.get(ticket.reference)
    assert closed is not None and (closed.status, closed.outcome) == (CLOSED, HANDED_BACK)
    back = len(customer.received())
    customer.say("where is my order 10003?")
    customer.wait_for(lambda text: "10003" in text, after=back)


def test_the_webhook_refuses_a_caller_without_the_secret(
    system: tuple[Stack, Inbox, FakeChatwoot], tmp_path: Path
) -> None:
    stack, _, chatwoot = system
    url = f"{stack.settings.desk_url}/chatwoot/webhook/not-the-secret"
    assert (
        chatwoot.send({"event": "conversation_status_changed", "id": 1, "status": "resolved"}, url)
        == 403
    )
