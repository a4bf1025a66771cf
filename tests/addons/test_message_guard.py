"""The NLU guard: empty and emoji-only messages are `blank`, code-like text is `unsafe_input`,
and ordinary customer sentences pass untouched (written for this project)."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from addons.message_guard import MessageGuard

GUARD = MessageGuard(MessageGuard.get_default_config())


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "👍", "🙂🙂🙂", "?!", "...", "🚚 📦"])
def test_messages_without_words_are_blank(text: str) -> None:
    assert GUARD.verdict(text) == "blank"


@pytest.mark.parametrize(
    "text",
    ["where is order 10001'; DROP TABLE orders; --", 'where is order 10003" OR 1=1',
     "cancel order 10005' OR '1'='1", "10001; SELECT password FROM users",
     "SELECT * FROM orders", "x UNION SELECT email FROM customers",
     "<script>alert(1)</script> refund 10002", "{{7*7}}", "${jndi:ldap://x}",
     "order 10002 /* comment */"],
)  # fmt: skip
def test_code_like_text_is_unsafe(text: str) -> None:
    assert GUARD.verdict(text) == "unsafe_input"


@pytest.mark.parametrize(
    "text",
    ["where is order #10003??", "delete the old address from my order",
     "select my refund from order 10002", "I ordered 2 and only got 1", "it costs 5 = 5 euros",
     "refund or exchange? either is fine", "hi, my email is jane.roe@example.org",
     "I don't want a refund, just tell me where it is", "Ça n'est pas arrivé", "my order is #",
     "what's the status of RF-3QX8ZP"],
)  # fmt: skip
def test_customer_sentences_pass(text: str) -> None:
    assert GUARD.verdict(text) is None


@pytest.mark.parametrize(
    "text", ["bob@example.com", " Carol@Example.COM ", "10003", "#10003", "RF-3QX8ZP.", "10005!"]
)
def test_a_bare_identifier_is_inform(text: str) -> None:
    assert GUARD.verdict(text) == "inform"


def test_unsafe_message_loses_its_entities_and_wins_the_intent() -> None:
    message = Message(
        data={
            "text": "where is order 10011'; DROP TABLE orders; --",
            "intent": {"name": "cancel_order", "confidence": 0.98},
            "entities": [{"entity": "order_number", "value": "10011"}],
        }
    )
    [processed] = GUARD.process([message])
    assert processed.get("intent") == {"name": "unsafe_input", "confidence": 1.0}
    assert processed.get("entities") == []
