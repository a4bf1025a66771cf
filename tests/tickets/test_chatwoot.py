"""The Chatwoot client (tickets/chatwoot.py) against a local fake of Chatwoot's API
(tests/fakes/chatwoot.py), and the settings that choose Chatwoot.

The fake follows Chatwoot's documentation:
- application API, authentication by the `api_access_token` header:
  https://developers.chatwoot.com/api-reference/introduction
- contacts search (`q`, partial matches, `payload` list):
  https://developers.chatwoot.com/api-reference/contacts/search-contacts
- contact create with `inbox_id` (answer `payload.contact` and `payload.contact_inbox`):
  https://developers.chatwoot.com/api-reference/contacts/create-contact
- contact inbox for an existing contact:
  https://developers.chatwoot.com/api-reference/contacts/create-contact-inbox
- conversation create, which needs the contact inbox's `source_id`:
  https://developers.chatwoot.com/api-reference/conversations/create-new-conversation
- messages (`message_type`, `private` for notes):
  https://developers.chatwoot.com/api-reference/messages/create-new-message
- conversation labels (the posted list replaces the labels; the contact-labels page says so):
  https://developers.chatwoot.com/api-reference/conversation-labels/add-labels and
  https://developers.chatwoot.com/api-reference/contact-labels/add-labels
- webhook payloads (message_created, conversation_status_changed):
  https://github.com/chatwoot/docs/blob/main/docs/product/others/webhook-events.md and
  https://www.chatwoot.com/hc/user-guide/articles/1677693021-how-to-use-webhooks
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from harness.ticket_helpers import draft
from settings.env import SettingsError
from tests.fakes.chatwoot import ACCOUNT_ID, INBOX_ID, FakeChatwoot
from tickets.chatwoot import (
    ChatwootClient,
    ChatwootError,
    handoff_note,
    labels_for,
    mood_trend,
    open_conversation,
)
from tickets.model import Ticket
from tickets.settings import (
    ChatwootAccount,
    handoff_target,
    load_chatwoot_account,
    load_chatwoot_webhook_secret,
)

TOKEN = "chatwoot-test-token"


@pytest.fixture
def chatwoot() -> Iterator[FakeChatwoot]:
    """A fake Chatwoot with no webhook receiver."""
    fake = FakeChatwoot(TOKEN)
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()


def client_for(fake: FakeChatwoot, token: str = TOKEN) -> ChatwootClient:
    """The client as the action server builds it."""
    return ChatwootClient(ChatwootAccount(fake.url, ACCOUNT_ID, INBOX_ID, token, 2.0))


def handed_over(
    conversation: str = "conv-1", email: str = "", order: str = "", level: str = "frustrated"
) -> Ticket:
    """A saved frustration ticket with a mood curve and, if given, a proven email and order."""
    ticket = draft(conversation, reason="frustration", frustration=0.8)
    ticket.reference = "T-00042"
    ticket.level = level
    ticket.customer.update(verified_email=email, proven_order=order)
    ticket.sentiment = [
        {"level": "calm", "smoothed": 0.1},
        {"level": "annoyed", "smoothed": 0.45},
        {"level": "frustrated", "smoothed": 0.8},
    ]
    ticket.transcript = [
        {"ts": 1.0, "who": "customer", "text": "where is order 10003?"},
        {"ts": 2.0, "who": "assistant", "text": "Order 10003 is delayed at the carrier."},
        {"ts": 3.0, "who": "customer", "text": "this is the third week, UNACCEPTABLE"},
        {"ts": 4.0, "who": "customer", "text": "call me on 07700 900123"},
    ]
    return ticket


def test_a_handoff_opens_a_conversation_with_notes_and_labels(chatwoot: FakeChatwoot) -> None:
    ticket = handed_over(email="ann@example.com", order="10003")
    conversation_id = open_conversation(client_for(chatwoot), ticket)

    conversation = chatwoot.only_conversation()
    assert conversation_id == str(conversation["id"])
    assert conversation["inbox_id"] == INBOX_ID and conversation["status"] == "open"
    assert conversation["custom_attributes"]["ticket_reference"] == "T-00042"
    [contact] = chatwoot.contacts
    assert contact["email"] == "ann@example.com" and contact["identifier"] == "rasa:conv-1"
    assert conversation["contact_id"] == contact["id"]
    transcript, note = conversation["messages"]
    # Notes only: nothing we post is an outgoing public message that could reach the customer.
    assert transcript["private"] and note["private"]
    assert "Customer: where is order 10003?" in transcript["content"]
    assert "Assistant: Order 10003 is delayed" in transcript["content"]
    # Hidden as the desk hides it: agents answer in the chat, not by phone.
    assert "Customer: call me on [phone number hidden]" in transcript["content"]
    assert "Customer is frustrated" in note["content"]
    assert "rising: calm 0.10 → annoyed 0.45 → frustrated 0.80" in note["content"]
    assert "Proven order: 10003 (owned by ann@example.com)" in note["content"]
    assert conversation["labels"] == ["handoff-frustration", "mood-frustrated", "order-10003"]


def test_a_returning_customer_is_found_by_the_proven_email(chatwoot: FakeChatwoot) -> None:
    client = client_for(chatwoot)
    open_conversation(client, handed_over("conv-1", email="ann@example.com"))
    open_conversation(client, handed_over("conv-2", email="ANN@example.com"))
    assert len(chatwoot.contacts) == 1
    assert len(chatwoot.conversations) == 2
    assert {c["contact_id"] for c in chatwoot.conversations.values()} == {
        chatwoot.contacts[0]["id"]
    }


def test_a_partial_match_in_the_search_is_not_the_customer(chatwoot: FakeChatwoot) -> None:
    client = client_for(chatwoot)
    open_conversation(client, handed_over("conv-1", email="bojo@example.com"))
    open_conversation(client, handed_over("conv-2", email="jo@example.com"))
    assert sorted(c["email"] for c in chatwoot.contacts) == ["bojo@example.com", "jo@example.com"]


def test_an_anonymous_customer_is_filed_under_the_conversation(chatwoot: FakeChatwoot) -> None:
    client = client_for(chatwoot)
    ticket = handed_over("conv-9", order="")
    ticket.customer["email"] = "typed-but-not-proven@example.com"
    open_conversation(client, ticket)
    open_conversation(client, ticket)  # handed over again later: the same contact
    [contact] = chatwoot.contacts
    assert contact["email"] is None and contact["identifier"] == "rasa:conv-9"
    assert labels_for(ticket) == ["handoff-frustration", "mood-frustrated"]


def test_a_contact_from_another_inbox_is_linked_to_ours(chatwoot: FakeChatwoot) -> None:
    chatwoot.contacts.append(
        {
            "id": 5,
            "name": "Ann",
            "email": "ann@example.com",
            "identifier": None,
            "contact_inboxes": [{"source_id": "web-1", "inbox": {"id": 99}}],
        }
    )
    open_conversation(client_for(chatwoot), handed_over(email="ann@example.com"))
    assert [link["inbox"]["id"] for link in chatwoot.contacts[0]["contact_inboxes"]] == [
        99,
        INBOX_ID,
    ]
    assert chatwoot.only_conversation()["contact_id"] == 5


def test_a_wrong_token_and_a_chatwoot_that_is_down_are_errors(chatwoot: FakeChatwoot) -> None:
    with pytest.raises(ChatwootError, match="CHATWOOT_API_TOKEN"):
        open_conversation(client_for(chatwoot, token="wrong"), handed_over())
    chatwoot.down = True
    with pytest.raises(ChatwootError, match="503"):
        open_conversation(client_for(chatwoot), handed_over())
    assert chatwoot.conversations == {}


def test_chatwoot_that_does_not_answer_is_an_error() -> None:
    account = ChatwootAccount("http://127.0.0.1:9", ACCOUNT_ID, INBOX_ID, TOKEN, 0.5)
    with pytest.raises(ChatwootError, match="did not answer"):
        open_conversation(ChatwootClient(account), handed_over())


def test_the_note_says_when_an_order_was_only_mentioned() -> None:
    ticket = handed_over(order="")
    assert "Order mentioned, not proven: 10003." in handoff_note(ticket)
    assert mood_trend([]) == "no turns analysed"
    assert mood_trend([{"level": "annoyed", "smoothed": 0.5}] * 2).startswith("steady")


def test_settings_choose_the_target_and_name_what_is_missing() -> None:
    assert handoff_target({}) == "desk"
    assert load_chatwoot_account({}) is None
    assert load_chatwoot_webhook_secret({}) == ""
    with pytest.raises(SettingsError, match="HANDOFF_TARGET must be one of desk, chatwoot"):
        handoff_target({"HANDOFF_TARGET": "zendesk"})
    env = {
        "HANDOFF_TARGET": "chatwoot",
        "CHATWOOT_URL": "https://chat.example.com/",
        "CHATWOOT_ACCOUNT_ID": "7",
        "CHATWOOT_INBOX_ID": "3",
    }
    with pytest.raises(SettingsError, match="CHATWOOT_API_TOKEN is not set"):
        load_chatwoot_account(env)
    account = load_chatwoot_account({**env, "CHATWOOT_API_TOKEN": "t"})
    assert account == ChatwootAccount("https://chat.example.com", 7, 3, "t", 5.0)
    with pytest.raises(SettingsError, match="CHATWOOT_INBOX_ID is not set"):
        load_chatwoot_account({**env, "CHATWOOT_INBOX_ID": "", "CHATWOOT_API_TOKEN": "t"})
    with pytest.raises(SettingsError, match="CHATWOOT_URL must be"):
        load_chatwoot_account({**env, "CHATWOOT_URL": "chat.example.com"})
    with pytest.raises(SettingsError, match="CHATWOOT_WEBHOOK_SECRET is not set"):
        load_chatwoot_webhook_secret(env)
    with pytest.raises(SettingsError, match="at least 16"):
        load_chatwoot_webhook_secret({**env, "CHATWOOT_WEBHOOK_SECRET": "short"})
