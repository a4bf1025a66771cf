"""Telegram against the running system, with a local fake of the Telegram Bot API.

The test plays Telegram: it posts updates to Rasa's webhook with (or without) the secret token
the webhook was registered with; what the customer would see is what the fake received.
"""

from __future__ import annotations

import random
from typing import Any

import requests

from tests.channel_system import (
    AGENT_NAME,
    TELEGRAM_SECRET_TOKEN,
    TELEGRAM_WEBHOOK_URL,
    ChannelSystem,
)
from tests.fakes.telegram import button_update, text_update

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def new_chat() -> int:
    """A private chat id no other test uses."""
    return random.randint(10**8, 10**9)


def deliver(
    system: ChannelSystem, update: dict[str, Any], secret: str | None = TELEGRAM_SECRET_TOKEN
) -> requests.Response:
    """Telegram's POST of one update to the registered webhook."""
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    return requests.post(
        f"{system.rasa_url}/webhooks/telegram/webhook", json=update, headers=headers, timeout=60
    )


def message_containing(system: ChannelSystem, chat: int, fragment: str) -> dict[str, Any]:
    """Waits for a message to `chat` whose text contains `fragment`; returns its parameters."""
    return system.telegram.wait_for(
        lambda call: (
            call.method == "sendMessage"
            and str(call.params.get("chat_id")) == str(chat)
            and fragment in call.params.get("text", "")
        )
    ).params


def test_the_webhook_is_registered_with_the_secret_token(channel_system: ChannelSystem) -> None:
    registration = channel_system.telegram.wait_for(lambda call: call.method == "setWebhook").params

    assert registration["url"] == TELEGRAM_WEBHOOK_URL
    assert registration["secret_token"] == TELEGRAM_SECRET_TOKEN


def test_a_message_gets_the_delivery_status(channel_system: ChannelSystem) -> None:
    chat = new_chat()

    assert deliver(channel_system, text_update(chat, "where is order 10003?")).status_code == 200

    assert "delayed" in message_containing(channel_system, chat, "10003")["text"]


def test_updates_without_the_secret_token_are_refused(channel_system: ChannelSystem) -> None:
    chat = new_chat()

    missing = deliver(channel_system, text_update(chat, "where is order 10003?"), secret=None)
    wrong = deliver(channel_system, text_update(chat, "where is order 10003?"), secret="guessed")

    assert missing.status_code == 403
    assert wrong.status_code == 403
    events = channel_system.desk.tracker(str(chat))["events"]
    assert not [event for event in events if event["event"] == "user"]


def test_buttons_become_an_inline_keyboard_and_a_tap_is_answered(
    channel_system: ChannelSystem,
) -> None:
    chat = new_chat()
    deliver(channel_system, text_update(chat, "please cancel order 10005"))
    message_containing(channel_system, chat, "email address")
    deliver(channel_system, text_update(chat, "carol@example.com"))
    question = message_containing(channel_system, chat, "cancel order 10005 (")
    buttons = {
        button["text"]: button["callback_data"]
        for row in question["reply_markup"]["inline_keyboard"]
        for button in row
    }
    assert buttons == {"Yes, cancel it": "/affirm", "No, keep it": "/deny"}

    tap = button_update(chat, buttons["No, keep it"])
    assert deliver(channel_system, tap).status_code == 200

    message_containing(channel_system, chat, "stays as it is")
    answered = channel_system.telegram.matching(lambda call: call.method == "answerCallbackQuery")
    assert tap["callback_query"]["id"] in [call.params["callback_query_id"] for call in answered]


def test_the_agents_reply_and_the_hand_back_reach_the_customers_telegram_chat(
    channel_system: ChannelSystem,
) -> None:
    chat = new_chat()
    deliver(channel_system, text_update(chat, "/start"))
    message_containing(channel_system, chat, "automated assistant")
    deliver(channel_system, text_update(chat, "I want to talk to a person"))
    channel_system.desk.wait_until_handed_over(str(chat))
    channel_system.desk.join(str(chat))

    channel_system.desk.reply(str(chat), "Hello, Sam here. I'm looking at your order now.")
    labelled = message_containing(channel_system, chat, "I'm looking at your order now")
    assert labelled["text"].startswith(f"{AGENT_NAME} (support team): ")

    channel_system.desk.hand_back(str(chat))
    message_containing(channel_system, chat, "back with the automated assistant")
    deliver(channel_system, text_update(chat, "where is order 10001?"))
    assert "on its way" in message_containing(channel_system, chat, "10001")["text"]


def test_a_failed_update_is_answered_for_a_retry_and_handled_when_retried(
    channel_system: ChannelSystem,
) -> None:
    chat = new_chat()
    update = text_update(chat, "where is order #10003?")
    channel_system.telegram.failing_chats[str(chat)] = 1  # the Bot API refuses the first reply

    failed = deliver(channel_system, update)
    assert failed.status_code == 503  # not 2xx: Telegram sends the update again

    retried = deliver(channel_system, update)  # Telegram's retry of the same update_id
    assert retried.status_code == 200
    assert "10003" in message_containing(channel_system, chat, "10003")["text"]
    events = channel_system.desk.tracker(str(chat))["events"]
    asked = [e for e in events if e["event"] == "user" and "10003" in (e.get("text") or "")]
    assert len(asked) == 1  # stored once: the failed attempt left nothing behind


def test_a_body_that_is_not_an_update_gets_400(channel_system: ChannelSystem) -> None:
    for body in (
        [],
        {"update_id": "x"},
        {"update_id": 1, "message": {"chat": {"id": "a"}, "text": "hi"}},
    ):
        assert deliver(channel_system, body).status_code == 400  # type: ignore[arg-type]
