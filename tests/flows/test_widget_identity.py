"""The widget on the shop's own pages: a token the shop signed makes the conversation start as
that customer, with no question asked; anything else stays anonymous and is asked for the
email on the order. Turn counts for the routine flows are printed (and bounded)."""

from __future__ import annotations

import requests

from harness.helpers import forget_contact_history
from launcher.stack import Stack
from tests.flows.widget_client import WidgetCustomer, shop_token

REFUND_REQUEST = "I want to return my running shoes, order 10002, they're too small"


def refund_of(stack: Stack, number: str) -> dict | None:
    order = requests.get(f"{stack.settings.shop_url}/orders/{number}", timeout=10).json()
    return order["refund"]


async def test_signed_in_customer_refunds_without_being_asked_who_they_are(
    system: Stack,
) -> None:
    async with WidgetCustomer(system.settings.rasa_url, shop_token("alice@example.com")) as alice:
        summary = await alice.say(REFUND_REQUEST)
        assert "please check" in summary and "124.50" in summary and "too small" in summary
        assert "email" not in summary
        done = await alice.say("yes")
    assert "rf-" in done
    assert refund_of(system, "10002")["status"] == "pending"
    print("\nturns: refund for a verified widget customer = 2 (limit 4)")


async def test_signed_in_customer_sees_tracking_of_own_order_only(system: Stack) -> None:
    async with WidgetCustomer(system.settings.rasa_url, shop_token("bob@example.com")) as bob:
        own = await bob.say("where is order 10003")
        other = await bob.say("where is order 10001")
    assert "1z999aa10123456784" in own
    assert "on its way" in other and "jjd" not in other


async def test_signed_in_customer_is_asked_for_someone_elses_order(system: Stack) -> None:
    async with WidgetCustomer(system.settings.rasa_url, shop_token("bob@example.com")) as bob:
        answer = await bob.say("please cancel order 10011")
        assert "email address" in answer and "keyboard" not in answer
        assert "doesn't look like an email" in await bob.say("yes")


async def test_forged_or_expired_tokens_leave_the_customer_anonymous(system: Stack) -> None:
    tokens = [
        shop_token("alice@example.com", key="not-the-shop-key-0123456789abcdef"),
        shop_token("alice@example.com", lifetime_s=-120),
        shop_token("alice@example.com", lifetime_s=7 * 86400),  # not short-lived
        "not-a-jwt",
    ]
    for token in tokens:
        # Each is a new conversation about the same order: not a customer coming back.
        forget_contact_history(system.settings.redis.url)
        async with WidgetCustomer(system.settings.rasa_url, token) as someone:
            assert "email address" in await someone.say(REFUND_REQUEST)
    assert refund_of(system, "10002") is None


async def test_a_browser_cannot_claim_to_be_a_customer(system: Stack) -> None:
    claim = {"verified_customer": {"email": "alice@example.com"}}
    async with WidgetCustomer(system.settings.rasa_url, None) as someone:
        answer = await someone.say(REFUND_REQUEST, metadata=claim)
    assert "email address" in answer and "124.50" not in answer


async def test_anonymous_widget_refund_takes_three_turns(system: Stack) -> None:
    async with WidgetCustomer(system.settings.rasa_url, None) as customer:
        assert "email address" in await customer.say(REFUND_REQUEST)
        assert "please check" in await customer.say("alice@example.com")
        assert "rf-" in await customer.say("yes")
    print("\nturns: refund with the email asked = 3 (limit 5)")
