"""A fake Telegram Bot API (what the connector calls) and updates as Telegram sends them."""

from __future__ import annotations

import itertools
import json
import time
from typing import Any

from flask import Flask, jsonify, request

from tests.fakes.recorder import Call, RecordingApi

BOT_USER = {
    "id": 123456,
    "is_bot": True,
    "first_name": "Shop assistant",
    "username": "demo_shop_bot",
}


class FakeTelegram(RecordingApi):
    """POST /bot<token>/<method>; the connector's TELEGRAM_API_URL is `url`."""

    def __init__(self, bot_token: str) -> None:
        """Answers only for `bot_token`, with 401 like Telegram otherwise; `failing_chats`
        maps a chat id to how many of the next messages to it fail with a 500."""
        app = Flask("fake_telegram")
        message_ids = itertools.count(1)
        self.failing_chats: dict[str, int] = {}

        @app.post("/bot<token>/<method>")
        def api(token: str, method: str) -> Any:
            if token != bot_token:
                return jsonify(ok=False, error_code=401, description="Unauthorized"), 401
            params: dict[str, Any] = request.get_json(silent=True) or request.form.to_dict()
            if isinstance(params.get("reply_markup"), str):
                params["reply_markup"] = json.loads(params["reply_markup"])
            self.record(Call(method, params, dict(request.headers)))
            chat = str(params.get("chat_id"))
            if method == "sendMessage" and self.failing_chats.get(chat, 0) > 0:
                self.failing_chats[chat] -= 1
                return jsonify(ok=False, error_code=500, description="Internal Server Error"), 500
            if method == "sendMessage":
                return jsonify(
                    ok=True,
                    result={
                        "message_id": next(message_ids),
                        "date": int(time.time()),
                        "chat": {"id": int(params["chat_id"]), "type": "private"},
                        "from": BOT_USER,
                        "text": params.get("text", ""),
                    },
                )
            return jsonify(ok=True, result=True)

        super().__init__(app)


_update_ids = itertools.count(int(time.time()))


def text_update(chat_id: int, text: str) -> dict[str, Any]:
    """A private-chat message from a customer, as Telegram posts it to the webhook."""
    sender = {"id": chat_id, "is_bot": False, "first_name": "Test", "language_code": "en"}
    return {
        "update_id": next(_update_ids),
        "message": {
            "message_id": next(_update_ids) % 100000,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Test"},
            "from": sender,
            "text": text,
        },
    }


def button_update(chat_id: int, data: str) -> dict[str, Any]:
    """The customer tapped an inline-keyboard button whose callback_data is `data`."""
    sender = {"id": chat_id, "is_bot": False, "first_name": "Test"}
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": str(next(_update_ids)),
            "from": sender,
            "chat_instance": "1",
            "data": data,
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "from": BOT_USER,
                "text": "(the message the buttons belong to)",
            },
        },
    }
