"""The assistant's own refund rules for platforms that have none it can ask (Shopify, WooCommerce).

The demo shop applies the same rules itself (orders/demo_shop/rules.py); here they work on the
`Order` every adapter returns, with `today` passed in so a caller (or a test) decides the day.
Also the customer-facing refund reference (RF-XXXXXX) the assistant derives from a platform's
own refund id, so every platform's refunds read the same in a conversation.
"""

from __future__ import annotations

import hashlib
import string
from datetime import date, timedelta

from orders.client import Eligibility, Order

REFUND_ARRIVAL_DAYS = 7
"""Refunds reach the customer in 5-7 business days; `expected_by` promises the later end."""

_REFERENCE_ALPHABET = string.digits + string.ascii_uppercase


def refund_expected_by(created: date) -> date:
    """The date a refund created on `created` is promised to arrive by."""
    return created + timedelta(days=REFUND_ARRIVAL_DAYS)


def refund_reference(platform: str, refund_id: str) -> str:
    """RF- and six letters or digits, stable for one refund of one platform.

    Platforms number refunds with long integers or global ids that do not fit the shape the
    assistant understands in a chat, so the reference is a digest of the id; adapters find a
    refund by reference by recomputing it for the refunds they read.
    """
    digest = int.from_bytes(hashlib.sha256(f"{platform}:{refund_id}".encode()).digest()[:8], "big")
    chars = []
    for _ in range(6):
        digest, index = divmod(digest, len(_REFERENCE_ALPHABET))
        chars.append(_REFERENCE_ALPHABET[index])
    return "RF-" + "".join(chars)


def refund_eligibility(order: Order, today: date, window_days: int) -> Eligibility:
    """The demo shop's refund policy applied to any platform's order.

    An existing refund wins over every other rule, so asking twice never refunds twice.
    """
    if order.refund is not None:
        return Eligibility(
            False,
            "already_refunded",
            f"This order was already refunded (reference {order.refund.reference}).",
        )
    if order.status == "lost":
        return Eligibility(
            True,
            "lost_in_transit",
            "The carrier lost this parcel, so the full amount can be refunded.",
        )
    if order.status == "cancelled":
        return Eligibility(
            False, "cancelled", "This order was cancelled before it shipped; nothing was charged."
        )
    if order.status == "processing":
        return Eligibility(
            False,
            "not_shipped",
            "This order has not shipped yet; it can be cancelled instead.",
        )
    if order.status in ("in_transit", "delayed") or order.delivered_at is None:
        return Eligibility(
            False,
            "not_delivered_yet",
            "This order is still on its way; a refund is possible once it arrives.",
        )
    days_since = (today - order.delivered_at).days
    if days_since > window_days:
        return Eligibility(
            False,
            "outside_return_window",
            f"This order was delivered {days_since} days ago, past the {window_days}-day"
            " return window.",
        )
    return Eligibility(
        True,
        "eligible",
        f"This order was delivered {days_since} days ago, inside the {window_days}-day return"
        " window.",
    )
