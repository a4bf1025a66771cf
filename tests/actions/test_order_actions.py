"""The order actions against the real demo shop: what the customer is told, which slots change."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.cancellation import ActionCancelOrder
from actions.delivery import ActionCheckDelivery
from actions.order_forms import ValidateDeliveryForm
from actions.refund_status import ActionCheckRefundStatus
from actions.refunds import ActionSubmitRefund, ValidateRefundForm
from actions.shop_access import get_shop
from harness.helpers import free_port
from orders.demo_shop.seed import seed_orders
from tests.actions.conftest import make_tracker, use_shop
from tests.orders.fakes import platform_env, running_fake
from tests.orders.fakes.shopify import FakeShopify


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    """Names of the responses the action asked Rasa to send."""
    return [m["response"] for m in dispatcher.messages]


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    """SlotSet events as {slot: value}."""
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


async def test_delivery_of_a_delayed_order_gives_the_new_estimate(
    shared_shop: str, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    await ActionCheckDelivery().run(dispatcher, make_tracker({"order_number": "10003"}), domain)
    [message] = dispatcher.messages
    assert message["response"] == "utter_delivery_delayed"
    assert message["tracking_number"] and message["carrier"]
    assert message["expected_delivery"] != "unknown"


async def test_order_number_is_cleaned_checked_and_refused_when_malformed(
    shared_shop: str, domain: dict[str, Any]
) -> None:
    form = ValidateDeliveryForm()
    cases = {"#10001.": "10001", "99999": None, "10001; DROP TABLE orders": None, "../etc": None}
    for given, expected in cases.items():
        dispatcher = CollectingDispatcher()
        result = await form.validate_order_number(given, dispatcher, make_tracker(), domain)
        assert result["order_number"] == expected, given
    dispatcher = CollectingDispatcher()
    await form.validate_order_number("99999", dispatcher, make_tracker(), domain)
    assert responses(dispatcher) == ["utter_order_not_found"]


async def test_ineligible_refund_ends_the_form_with_the_reason(
    shared_shop: str, domain: dict[str, Any]
) -> None:
    for number, owner, response in [
        ("10007", "dave@example.com", "utter_refund_ineligible_outside_return_window"),
        ("10006", "carol@example.com", "utter_refund_exists"),
        ("10005", "carol@example.com", "utter_refund_ineligible_not_shipped"),
    ]:
        dispatcher = CollectingDispatcher()
        result = await ValidateRefundForm().validate_order_number(
            number, dispatcher, make_tracker({"verified_email": owner}), domain
        )
        assert result["flow_stopped"] is True, number
        assert result["proven_order"] == number
        assert responses(dispatcher) == [response]


async def test_someone_elses_order_asks_for_the_email_and_tells_nothing(
    shared_shop: str, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker({"verified_email": "bob@example.com"})
    result = await ValidateRefundForm().validate_order_number("10002", dispatcher, tracker, domain)
    assert result == {"order_number": "10002", "proven_order": None, "owner_email": None}
    assert dispatcher.messages == []


async def test_refund_lifecycle_creates_once_and_reports_status(
    own_shop: str, domain: dict[str, Any]
) -> None:
    slots = {"order_number": "10002", "refund_reason": "arrived broken",
             "refund_confirmed": True, "proven_order": "10002"}  # fmt: skip
    dispatcher = CollectingDispatcher()
    events = await ActionSubmitRefund().run(dispatcher, make_tracker(slots), domain)
    assert responses(dispatcher) == ["utter_refund_created"]
    reference = slot_events(events)["refund_reference"]
    assert reference.startswith("RF-")

    # The same confirmation again (same key): the same refund, not a second one.
    dispatcher = CollectingDispatcher()
    again = await ActionSubmitRefund().run(dispatcher, make_tracker(slots), domain)
    assert slot_events(again)["refund_reference"] == reference

    dispatcher = CollectingDispatcher()
    await ActionCheckRefundStatus().run(
        dispatcher, make_tracker({"order_number": "10002", "proven_order": "10002"}), domain
    )
    [message] = dispatcher.messages
    assert message["response"] == "utter_refund_status_pending"
    assert message["refund_reference"] == reference and message["order_number"] == "10002"


async def test_nothing_is_created_without_a_yes_and_a_proven_owner(
    own_shop: str, domain: dict[str, Any]
) -> None:
    for slots in [
        {"order_number": "10002", "refund_reason": "broken", "proven_order": "10002"},
        {"order_number": "10002", "refund_reason": "broken", "refund_confirmed": True},
        {"order_number": "10002", "refund_reason": "broken", "refund_confirmed": "yes",
         "proven_order": "10002"},
    ]:  # fmt: skip
        dispatcher = CollectingDispatcher()
        await ActionSubmitRefund().run(dispatcher, make_tracker(slots), domain)
        assert dispatcher.messages == []
    dispatcher = CollectingDispatcher()
    await ActionCancelOrder().run(
        dispatcher, make_tracker({"order_number": "10005", "cancel_confirmed": True}), domain
    )
    assert dispatcher.messages == []


async def test_cancel_only_before_shipping(own_shop: str, domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    slots = {"order_number": "10005", "cancel_confirmed": True, "proven_order": "10005"}
    await ActionCancelOrder().run(dispatcher, make_tracker(slots), domain)
    assert responses(dispatcher) == ["utter_order_cancelled"]

    dispatcher = CollectingDispatcher()
    slots = {"order_number": "10001", "cancel_confirmed": True, "proven_order": "10001"}
    await ActionCancelOrder().run(dispatcher, make_tracker(slots), domain)
    assert responses(dispatcher)[0].startswith("utter_cancel_refused")


async def test_shop_down_is_told_to_the_customer(
    own_shop: str, domain: dict[str, Any], monkeypatch: Any
) -> None:
    use_shop(monkeypatch, f"http://127.0.0.1:{free_port()}")
    dispatcher = CollectingDispatcher()
    await ActionCheckDelivery().run(dispatcher, make_tracker({"order_number": "10001"}), domain)
    assert responses(dispatcher) == ["utter_shop_unavailable"]


@pytest.fixture
def shopify_store(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeShopify]:
    """The action server's order system is a fake Shopify store, with a first order #1001."""
    with running_fake("shopify") as store:
        assert isinstance(store, FakeShopify)
        first = next(doc for doc in seed_orders(store.today) if doc["order_number"] == "10001")
        store.add_order({**first, "order_number": "1001"})
        for name, value in platform_env("shopify", store.url).items():
            monkeypatch.setenv(name, value)
        get_shop.cache_clear()
        yield store
    get_shop.cache_clear()


async def test_order_numbers_take_the_order_systems_shape(
    shared_shop: str, domain: dict[str, Any]
) -> None:
    """#1001 is Shopify's first order; the demo shop's numbers have five digits."""
    form = ValidateDeliveryForm()
    dispatcher = CollectingDispatcher()
    result = await form.validate_order_number("#1001", dispatcher, make_tracker(), domain)
    assert result["order_number"] is None
    assert responses(dispatcher) == ["utter_order_number_invalid"]


async def test_no_number_to_give_ends_the_form_with_a_way_on(
    shared_shop: str, domain: dict[str, Any]
) -> None:
    """Asked for the number, "I don't have it" is told where to find it (a person offered) and
    the form ends, rather than the same question coming back."""
    dispatcher = CollectingDispatcher()
    text = "I don't have the order number"
    result = await ValidateDeliveryForm().validate_order_number(
        text, dispatcher, make_tracker(text=text), domain
    )
    assert result == {"order_number": None, "flow_stopped": True}
    assert responses(dispatcher) == ["utter_no_order_number"]


async def test_shopify_short_order_names_are_order_numbers(
    shopify_store: FakeShopify, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    result = await ValidateDeliveryForm().validate_order_number(
        "#1001.", dispatcher, make_tracker(), domain
    )
    assert result["order_number"] == "1001"
    assert "utter_order_number_invalid" not in responses(dispatcher)


async def test_the_owner_gets_the_carriers_tracking_page(
    shopify_store: FakeShopify, domain: dict[str, Any]
) -> None:
    owner = {"order_number": "1001", "verified_email": "alice@example.com"}
    for slots, link in [(owner, True), ({"order_number": "1001"}, False)]:
        dispatcher = CollectingDispatcher()
        await ActionCheckDelivery().run(dispatcher, make_tracker(slots), domain)
        [message] = dispatcher.messages
        assert message["response"] == "utter_delivery_in_transit"
        page = "https://track.example/DHL/JJD0014600012345678"
        assert (page in message["tracking"]) is link and (
            "JJD0014600012345678" in message["tracking"]
        ) is link
