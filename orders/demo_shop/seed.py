"""The documented seed data (the table in orders/demo_shop/README.md), with dates relative to today.

Dates are computed from the day the shop starts, so "delivered 5 days ago, inside the 30-day
return window" stays true whenever the demo or the tests run.
"""

from __future__ import annotations

from datetime import date, timedelta

from orders.demo_shop.db import ItemDoc, OrderDoc, RefundDoc, Store


def _day(today: date, offset: int | None) -> str | None:
    return None if offset is None else (today + timedelta(days=offset)).isoformat()


def _order(
    today: date,
    number: str,
    email: str,
    name: str,
    status: str,
    items: list[tuple[str, int]],
    total: float,
    ordered: int,
    *,
    shipped: int | None = None,
    delivered: int | None = None,
    expected: int | None = None,
    original_expected: int | None = None,
    delay_reason: tuple[str, str] | None = None,
    carrier: str | None = None,
    tracking: str | None = None,
    refund: RefundDoc | None = None,
) -> OrderDoc:
    """One order; every date argument is a day offset from today (negative = in the past);
    `delay_reason` is (code of config/delay_reasons.yml, the shop's English text)."""
    return OrderDoc(
        order_number=number,
        customer_email=email,
        customer_name=name,
        status=status,
        items=[ItemDoc(name=item, quantity=quantity) for item, quantity in items],
        total=total,
        currency="EUR",
        ordered_at=(today + timedelta(days=ordered)).isoformat(),
        shipped_at=_day(today, shipped),
        delivered_at=_day(today, delivered),
        expected_delivery=_day(today, expected),
        original_expected_delivery=_day(today, original_expected),
        delay_reason=delay_reason[1] if delay_reason else None,
        delay_reason_code=delay_reason[0] if delay_reason else None,
        carrier=carrier,
        tracking_number=tracking,
        refund=refund,
    )


def seed_orders(today: date) -> list[OrderDoc]:
    """The twelve demo orders, one or more per state the assistant has to handle."""
    alice, bob, carol = "alice@example.com", "bob@example.com", "carol@example.com"
    dave, erin, frank = "dave@example.com", "erin@example.com", "frank@example.com"
    paid_refund = RefundDoc(
        reference="RF-3QX8ZP",
        order_number="10006",
        amount=59.90,
        currency="EUR",
        reason="The jacket was too small.",
        status="paid",
        created_at=(today - timedelta(days=8)).isoformat(),
        expected_by=(today - timedelta(days=1)).isoformat(),
    )
    return [
        _order(today, "10001", alice, "Alice Martin", "in_transit",
               [("Wireless headphones", 1)], 89.99, -3, shipped=-2, expected=2,
               carrier="DHL", tracking="JJD0014600012345678"),
        _order(today, "10002", alice, "Alice Martin", "delivered",
               [("Running shoes", 1), ("Sports socks", 2)], 124.50, -10,
               shipped=-8, delivered=-5, carrier="DHL", tracking="JJD0014600087654321"),
        _order(today, "10003", bob, "Bob Nguyen", "delayed",
               [("Espresso machine", 1)], 349.00, -9, shipped=-6, expected=3,
               original_expected=-2, delay_reason=("weather", "weather at the carrier's hub"),
               carrier="UPS", tracking="1Z999AA10123456784"),
        _order(today, "10004", bob, "Bob Nguyen", "lost",
               [("Desk lamp", 1)], 45.00, -25, shipped=-23, original_expected=-19,
               carrier="GLS", tracking="GLS77310045821"),
        _order(today, "10005", carol, "Carol Schmidt", "processing",
               [("Yoga mat", 1), ("Water bottle", 1)], 42.80, -1, expected=5),
        _order(today, "10006", carol, "Carol Schmidt", "delivered",
               [("Rain jacket", 1)], 59.90, -16, shipped=-14, delivered=-10,
               carrier="DHL", tracking="JJD0014600055500011", refund=paid_refund),
        _order(today, "10007", dave, "Dave Okafor", "delivered",
               [("Backpack", 1)], 79.00, -68, shipped=-65, delivered=-60,
               carrier="UPS", tracking="1Z999AA10198765432"),
        _order(today, "10008", dave, "Dave Okafor", "cancelled",
               [("Bluetooth speaker", 1)], 64.99, -4),
        _order(today, "10009", erin, "Erin Walsh", "in_transit",
               [("Board game", 2)], 71.98, -2, shipped=-1, expected=3,
               carrier="GLS", tracking="GLS77310099120"),
        _order(today, "10010", erin, "Erin Walsh", "delivered",
               [("Coffee grinder", 1)], 38.50, -7, shipped=-5, delivered=-2,
               carrier="DHL", tracking="JJD0014600033344455"),
        _order(today, "10011", frank, "Frank Rossi", "processing",
               [("Mechanical keyboard", 1)], 119.00, 0, expected=4),
        _order(today, "10012", frank, "Frank Rossi", "delivered",
               [("Phone case", 1), ("Screen protector", 2)], 32.97, -8,
               shipped=-6, delivered=-3, carrier="UPS", tracking="1Z999AA10155577788"),
    ]  # fmt: skip


def seed(store: Store, today: date) -> None:
    """Replace whatever the database holds with the seed, dated relative to `today`."""
    store.reset()
    for order in seed_orders(today):
        store.insert_order(order)
