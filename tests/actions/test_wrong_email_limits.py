"""Finding 3: guessing the email on an order was limited only per conversation, and /restart
reset it (30 wrong guesses for one order in 1.5 s from one sender). Wrong emails are now also
counted per sender, per order and per client address in Redis (actions/guess_limits.py,
config/identity.yml `wrong_email_limits`). The validation runs as Rasa calls it, against the
real demo shop and a real Redis; every "conversation" below starts with empty slots, which is
what /restart or a new sender id gives an attacker.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.refunds import ValidateRefundForm
from actions.settings import load_identity_settings
from contract.metadata import CLIENT_ADDRESS_KEY
from contract.slots import ORDER_NUMBER, PROVEN_ORDER, VERIFIED_EMAIL
from tests.actions.conftest import make_tracker

LIMITED = "utter_owner_guesses_limited"
MISMATCH = "utter_owner_email_mismatch"
OWNER = "bob@example.com"  # owns 10004 in the demo shop


def fresh_conversation(
    sender: str, order: str = "10004", address: str | None = "203.0.113.5", **slots: Any
) -> Tracker:
    """A conversation that has just named `order` (slots as after /restart), its latest
    message stamped with the client address the channel saw."""
    metadata = {CLIENT_ADDRESS_KEY: address} if address else {}
    events = [{"event": "user", "text": "x", "metadata": metadata}]
    return make_tracker({ORDER_NUMBER: order, **slots}, sender_id=sender, events=events)


async def answer(tracker: Tracker, email: str, domain: dict[str, Any]) -> tuple[str, dict]:
    """The response the customer gets for `email`, and the slots set."""
    dispatcher = CollectingDispatcher()
    slots = await ValidateRefundForm().validate_owner_email(email, dispatcher, tracker, domain)
    said = [m.get("response") for m in dispatcher.messages]
    return (said[0] if said else ""), slots


def limits() -> Any:
    return load_identity_settings().wrong_email_limits


def allowed(text: str) -> int:
    return int(text.split()[0])


async def test_restarting_and_new_senders_do_not_buy_more_guesses_for_one_order(
    action_redis: str, shared_shop: str, domain: dict[str, Any]
) -> None:
    """The probe: 30 guesses for one order, each in a fresh conversation, several addresses."""
    said = []
    for guess in range(30):
        tracker = fresh_conversation(f"guess-{guess}", address=f"198.51.100.{guess}")
        said.append((await answer(tracker, f"guess{guess}@example.com", domain))[0])
    per_order = allowed(limits().per_order)
    assert said.count(MISMATCH) == per_order
    assert said[per_order:] == [LIMITED] * (30 - per_order)


async def test_one_sender_cannot_restart_its_way_to_more_guesses(
    action_redis: str, shared_shop: str, domain: dict[str, Any]
) -> None:
    per_sender = allowed(limits().per_sender)
    orders = ["10001", "10002", "10003", "10005", "10006"]
    said = []
    for order in orders:  # one sender, a fresh conversation for each order
        tracker = fresh_conversation("restarter", order=order)
        said.append((await answer(tracker, "nobody@example.com", domain))[0])
    assert said == [MISMATCH] * per_sender + [LIMITED] * (len(orders) - per_sender)


async def test_one_address_cannot_spread_guesses_over_orders_and_senders(
    action_redis: str, shared_shop: str, domain: dict[str, Any]
) -> None:
    per_address = allowed(limits().per_address)
    said = []
    for guess in range(per_address + 2):
        order = f"{10001 + guess % 12}"
        tracker = fresh_conversation(f"spread-{guess}", order=order, address="192.0.2.77")
        said.append((await answer(tracker, "nobody@example.com", domain))[0])
    assert said == [MISMATCH] * per_address + [LIMITED, LIMITED]
    # Another address is not affected by that one's guesses.
    other = fresh_conversation("elsewhere", order="10012", address="192.0.2.78")
    assert (await answer(other, "nobody@example.com", domain))[0] == MISMATCH


async def test_the_lock_out_answer_says_how_long_and_what_else_works(
    action_redis: str, shared_shop: str, domain: dict[str, Any]
) -> None:
    for guess in range(allowed(limits().per_order)):
        await answer(fresh_conversation(f"lock-{guess}", address=None), "x@example.com", domain)
    dispatcher = CollectingDispatcher()
    tracker = fresh_conversation("bob-rest", address=None)
    slots = await ValidateRefundForm().validate_owner_email(OWNER, dispatcher, tracker, domain)
    [message] = dispatcher.messages
    assert message["response"] == LIMITED and message["order_number"] == "10004"
    assert 1 <= message["minutes"] <= 60
    assert slots["flow_stopped"] is True and PROVEN_ORDER not in slots
    text = domain["responses"][LIMITED][0]["text"]
    assert "sign in" in text and "person" in text and "{minutes}" in text


async def test_a_signed_in_owner_is_proven_whatever_strangers_guessed(
    action_redis: str, shared_shop: str, domain: dict[str, Any]
) -> None:
    """A widget token or a remembered identity proves the order without an email."""
    for guess in range(allowed(limits().per_order)):
        await answer(fresh_conversation(f"lock-{guess}"), "x@example.com", domain)
    dispatcher = CollectingDispatcher()
    tracker = make_tracker({VERIFIED_EMAIL: OWNER}, sender_id="bob-widget")
    slots = await ValidateRefundForm().validate_order_number("10004", dispatcher, tracker, domain)
    assert slots[PROVEN_ORDER] == "10004"


async def test_right_answers_never_count(
    action_redis: str, shared_shop: str, domain: dict[str, Any]
) -> None:
    for attempt in range(allowed(limits().per_order) + 3):
        tracker = fresh_conversation(f"owner-{attempt}", address="198.51.100.250")
        said, slots = await answer(tracker, OWNER, domain)
        assert said != LIMITED and slots[PROVEN_ORDER] == "10004"
