"""Nobody but the Rasa server runs actions, and no secret shows in the process list."""

from __future__ import annotations

import psutil
import requests

from launcher.stack import Stack
from tests.e2e.customer import Customer


def forged_cancel_call() -> dict:
    """What the probe sent: Rasa's action call, made up, asking to cancel order 10005."""
    return {
        "next_action": "action_cancel_order",
        "sender_id": "intruder",
        "version": "3.6.21",
        "domain": {},
        "tracker": {
            "sender_id": "intruder",
            "slots": {"order_number": "10005", "order_email": None},
            "latest_message": {"intent": {"name": "affirm"}, "entities": [], "text": "yes"},
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        },
    }


def order_status(stack: Stack, number: str) -> str:
    """The order's status as the shop has it."""
    orders = requests.get(f"{stack.settings.shop_url}/orders", timeout=10).json()["orders"]
    return next(o["status"] for o in orders if o["order_number"] == number)


def test_a_forged_action_call_is_refused_and_changes_nothing(stack: Stack) -> None:
    before = order_status(stack, "10005")
    url = f"http://{stack.settings.host}:{stack.settings.action_port}/webhook"
    for headers in ({}, {"Authorization": "Bearer guessed"}):
        answer = requests.post(url, json=forged_cancel_call(), headers=headers, timeout=10)
        assert answer.status_code == 401
    assert order_status(stack, "10005") == before


def test_a_malformed_call_with_the_secret_gets_a_short_400(stack: Stack) -> None:
    url = f"http://{stack.settings.host}:{stack.settings.action_port}/webhook"
    headers = {"Authorization": f"Bearer {stack.settings.action_token}"}
    for body in (b"", b"null", b"[]", b"[" * 600 + b"]" * 600, b"{not json"):
        answer = requests.post(url, data=body, headers=headers, timeout=10)
        assert answer.status_code == 400
        assert len(answer.content) < 200


def test_rasa_calls_actions_with_the_secret(customer: Customer) -> None:
    assert "10003" in customer.ask("where is order #10003?")


def test_the_action_server_listens_on_bind_host_only(stack: Stack) -> None:
    pid = stack.children["actions"].pid
    assert pid is not None
    listening = [
        c.laddr.ip
        for c in psutil.Process(pid).net_connections(kind="inet")
        if c.status == psutil.CONN_LISTEN
    ]
    assert listening == [stack.settings.host]


def test_no_secret_is_on_a_command_line_or_in_a_part_that_does_not_use_it(stack: Stack) -> None:
    secrets = {stack.settings.api_token, stack.settings.action_token}
    needs = {"rasa": secrets, "actions": {stack.settings.action_token}}
    needs["desk"] = {stack.settings.api_token}
    for name, child in stack.children.items():
        if child.pid is None:
            continue
        process = psutil.Process(child.pid)
        command_line = " ".join(process.cmdline())
        assert not any(secret in command_line for secret in secrets), name
        environment = set(process.environ().values())
        assert secrets & environment <= needs.get(name, set()), name
