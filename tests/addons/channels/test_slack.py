"""Slack against the running system, with a local fake of Slack's Web API.

The test plays Slack: it signs Events API deliveries with the app's signing secret and posts
them to Rasa's webhook; what the customer would see is what the fake received.
"""

from __future__ import annotations

import json
import time
import uuid
from urllib.parse import urlencode

import requests

from tests.channel_system import AGENT_NAME, SLACK_SIGNING_SECRET, ChannelSystem
from tests.fakes.slack import encode, message_event, signed_headers


def new_customer() -> tuple:
    """A Slack user id and the id of their direct-message chat with the app."""
    suffix = uuid.uuid4().hex[:10].upper()
    return f"U{suffix}", f"D{suffix}"


def post_to_webhook(
    system: ChannelSystem, body: bytes, headers: dict[str, str]
) -> requests.Response:
    """What Slack does with each event: one POST to the app's request URL."""
    return requests.post(
        f"{system.rasa_url}/webhooks/slack/webhook", data=body, headers=headers, timeout=30
    )


def send(
    system: ChannelSystem, user: str, chat: str, text: str, event_id: str | None = None
) -> requests.Response:
    """A signed direct message from `user`."""
    body = encode(message_event(user, chat, text, event_id or f"Ev{uuid.uuid4().hex[:12]}"))
    return post_to_webhook(system, body, signed_headers(SLACK_SIGNING_SECRET, body))


def reply_containing(system: ChannelSystem, chat: str, fragment: str) -> dict:
    """Waits for a message in `chat` whose text contains `fragment`; returns its parameters."""
    return system.slack.wait_for(
        lambda call: (
            call.method == "chat.postMessage"
            and call.params.get("channel") == chat
            and fragment in call.params.get("text", "")
        )
    ).params


def test_a_direct_message_gets_the_delivery_status_in_the_same_chat(
    channel_system: ChannelSystem,
) -> None:
    user, chat = new_customer()

    response = send(channel_system, user, chat, "where is order 10003?")

    assert response.status_code == 200
    assert "delayed" in reply_containing(channel_system, chat, "10003")["text"]


def test_requests_with_a_bad_or_old_signature_are_refused(channel_system: ChannelSystem) -> None:
    user, chat = new_customer()
    body = encode(message_event(user, chat, "where is order 10003?", f"Ev{uuid.uuid4().hex[:12]}"))

    forged = post_to_webhook(channel_system, body, signed_headers("not-the-signing-secret", body))
    replayed = post_to_webhook(
        channel_system,
        body,
        signed_headers(SLACK_SIGNING_SECRET, body, timestamp=int(time.time()) - 600),
    )
    unsigned = post_to_webhook(channel_system, body, {"Content-Type": "application/json"})

    for refused in (forged, replayed, unsigned):
        assert refused.status_code == 400
        assert "X-Slack-Signature" in refused.text
    events = channel_system.desk.tracker(user)["events"]
    assert not [event for event in events if event["event"] == "user"]


def test_a_retried_event_is_answered_once(channel_system: ChannelSystem) -> None:
    user, chat = new_customer()
    event_id = f"Ev{uuid.uuid4().hex[:12]}"
    body = encode(message_event(user, chat, "where is order 10001?", event_id))
    first = post_to_webhook(channel_system, body, signed_headers(SLACK_SIGNING_SECRET, body))
    assert first.status_code == 200
    reply_containing(channel_system, chat, "10001")

    # Slack re-sends the same event (same event_id) when it thinks the first delivery failed.
    retry_headers = {
        **signed_headers(SLACK_SIGNING_SECRET, body),
        "X-Slack-Retry-Num": "1",
        "X-Slack-Retry-Reason": "http_error",
    }
    retry = post_to_webhook(channel_system, body, retry_headers)
    assert retry.status_code == 200
    assert retry.headers.get("X-Slack-No-Retry") == "1"

    # Messages of one conversation are handled in order, so once the next message is answered
    # a duplicate answer to the retry would already be there.
    send(channel_system, user, chat, "thanks")
    reply_containing(channel_system, chat, "welcome")
    posts = channel_system.slack.posts_to(chat)
    about_10001 = [post for post in posts if "10001" in post.params.get("text", "")]
    assert len(about_10001) == 1


def test_a_tapped_button_answers_the_question(channel_system: ChannelSystem) -> None:
    user, chat = new_customer()
    send(channel_system, user, chat, "please cancel order 10005")
    reply_containing(channel_system, chat, "email address")
    send(channel_system, user, chat, "carol@example.com")
    question = reply_containing(channel_system, chat, "cancel order 10005 (")
    buttons = {
        element["text"]["text"]: element["value"]
        for block in question["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    }
    assert buttons == {"Yes, cancel it": "/affirm", "No, keep it": "/deny"}

    click = {
        "type": "block_actions",
        "user": {"id": user},
        "channel": {"id": chat},
        "message": {"ts": f"{time.time():.6f}"},
        "actions": [
            {"type": "button", "value": buttons["No, keep it"], "action_ts": f"{time.time():.6f}"}
        ],
    }
    body = urlencode({"payload": json.dumps(click)}).encode()
    headers = {
        **signed_headers(SLACK_SIGNING_SECRET, body),
        "Content-Type": "application/x-www-form-urlencoded",
    }
    assert post_to_webhook(channel_system, body, headers).status_code == 200

    reply_containing(channel_system, chat, "stays as it is")


def test_the_agents_reply_and_the_hand_back_reach_the_customers_slack_chat(
    channel_system: ChannelSystem,
) -> None:
    user, chat = new_customer()
    send(channel_system, user, chat, "I want to talk to a person")
    channel_system.desk.wait_until_handed_over(user)
    channel_system.desk.join(user)

    # The agent desk writes through Rasa's HTTP API; nothing from Slack is at hand then.
    channel_system.desk.reply(user, "Hello, Sam here. I'm looking at your order now.")
    labelled = reply_containing(channel_system, chat, "I'm looking at your order now")
    assert labelled["text"].startswith(f"{AGENT_NAME} (support team): ")

    channel_system.desk.hand_back(user)
    reply_containing(channel_system, chat, "back with the automated assistant")
    send(channel_system, user, chat, "where is order 10001?")
    assert "on its way" in reply_containing(channel_system, chat, "10001")["text"]


def test_the_url_verification_handshake_returns_the_challenge(
    channel_system: ChannelSystem,
) -> None:
    body = encode(
        {"token": "unused", "challenge": "c-" + uuid.uuid4().hex, "type": "url_verification"}
    )

    response = post_to_webhook(channel_system, body, signed_headers(SLACK_SIGNING_SECRET, body))

    assert response.status_code == 200
    assert response.json() == {"challenge": json.loads(body)["challenge"]}
