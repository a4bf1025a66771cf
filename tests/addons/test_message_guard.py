"""The NLU guard: empty and emoji-only messages are `blank`, code-like text is `unsafe_input`,
and ordinary customer sentences pass untouched (written for this project)."""

from __future__ import annotations

import re

import pytest
import yaml
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from addons.message_guard import MessageGuard
from harness.helpers import REPO_ROOT

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


# --- numbers that are not order numbers (finding 7) --------------------------------------------


def order_numbers_found(text: str) -> list[str]:
    """The order numbers left after the guard, from entities found with the project's own regex
    (data/nlu/regexes.yml, case-insensitive as config.yml runs it)."""
    regexes = yaml.safe_load((REPO_ROOT / "data" / "nlu" / "regexes.yml").read_text("utf-8"))
    patterns = [
        line.strip()[2:]
        for item in regexes["nlu"]
        if item.get("regex") == "order_number"
        for line in item["examples"].splitlines()
        if line.strip()
    ]
    entities = [
        {"entity": "order_number", "start": m.start(), "end": m.end(), "value": m.group(0)}
        for pattern in patterns
        for m in re.finditer(pattern, text, re.IGNORECASE)
    ]
    message = Message(data={TEXT: text, ENTITIES: entities})
    GUARD.process([message])
    return [e["value"] for e in message.get(ENTITIES) if e["entity"] == "order_number"]


@pytest.mark.parametrize(
    ("text", "orders"),
    [
        # The probe's message.
        ("where is order 10001? my phone is +44 7700 900123", ["10001"]),
        # Phone numbers in many shapes.
        ("call me on 07700 900123 about 10002", ["10002"]),
        ("my number is 07700900123", []),
        ("+4915112345678", []),
        ("order 10003, tel. +1 (555) 123 45678", ["10003"]),
        ("(020) 7946 0958 ext 12345", []),
        ("mobile: 447700900123, order 10007", ["10007"]),
        ("order 10004, phone 020 7946 0958", ["10004"]),
        ("whatsapp me at 0176 12345678", []),
        ("전화 01012345678 주문 10005", ["10005"]),
        ("010-1234-56789", []),
        ("+82 10 1234 5678 order #10006", ["10006"]),
        # Postcodes.
        ("zip 90210", []),
        ("my zip code is 10001, order 10008", ["10008"]),
        ("123 Main St, Springfield, IL 62704", []),
        ("postcode: 75008 and order 10009", ["10009"]),
        ("우편번호 06236", []),
        ("PLZ 10115 Berlin", []),
        # Amounts.
        ("$10000 refund for 10010", ["10010"]),
        ("£ 12000", []),
        ("it cost 12000 dollars", []),
        ("USD 12000 for order 10011", ["10011"]),
        ("paid 12000.50 for order 10003", ["10003"]),
        ("I paid 25000 won for 10002", ["10002"]),
        ("€15000 in total", []),
        ("KRW 150000", []),
        # Order numbers as customers write them stay.
        ("where is order 10001", ["10001"]),
        ("#10012 please", ["10012"]),
        ("orders 10001 and 10002", ["10001", "10002"]),
        ("orders 10001 10002", ["10001", "10002"]),
        ("refund for 10005.", ["10005"]),
        ("order number: 10006!", ["10006"]),
        ("10004", ["10004"]),
    ],
)
def test_phone_numbers_postcodes_and_amounts_are_not_order_numbers(
    text: str, orders: list[str]
) -> None:
    assert order_numbers_found(text) == orders
