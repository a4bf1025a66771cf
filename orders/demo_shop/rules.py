"""The shop's business rules: who may have a refund, and when the money arrives.

Kept apart from HTTP and SQL so the rules read like the policy they encode, and take `today`
as an argument so a caller (or a test) decides what day it is.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TypedDict

from orders.demo_shop.db import OrderDoc

REFUND_ARRIVAL_DAYS = 7
"""Refunds reach the customer in 5-7 business days; `expected_by` promises the later end."""


class EligibilityDoc(TypedDict):
    """Whether an order can be refunded, with a code for machines and a sentence for people."""

    eligible: bool
    reason: str
    message: str


def refund_expected_by(today: date) -> date:
    """The date a refund created today is promised to arrive by."""
    return today + timedelta(days=REFUND_ARRIVAL_DAYS)


def refund_eligibility(order: OrderDoc, today: date, window_days: int) -> EligibilityDoc:
    """Apply the refund policy to one order.

    An existing refund wins over every other rule, so asking twice never refunds twice.
    """
    refund = order["refund"]
    status = order["status"]
    if refund is not None:
        return EligibilityDoc(
            eligible=False,
            reason="already_refunded",
            message=f"This order was already refunded (reference {refund['reference']}).",
        )
    if status == "lost":
        return EligibilityDoc(
            eligible=True,
            reason="lost_in_transit",
            message="The carrier lost this parcel, so the full amount can be refunded.",
        )
    if status == "cancelled":
        return EligibilityDoc(
            eligible=False,
            reason="cancelled",
            message="This order was cancelled before it shipped; nothing was charged.",
        )
    if status == "processing":
        return EligibilityDoc(
            eligible=False,
            reason="not_shipped",
            message="This order has not shipped yet; it can be cancelled instead.",
        )
    if status in ("in_transit", "delayed") or order["delivered_at"] is None:
        return EligibilityDoc(
            eligible=False,
            reason="not_delivered_yet",
            message="This order is still on its way; a refund is possible once it arrives.",
        )
    days_since = (today - date.fromisoformat(order["delivered_at"])).days
    if days_since > window_days:
        return EligibilityDoc(
            eligible=False,
            reason="outside_return_window",
            message=(
                f"This order was delivered {days_since} days ago, past the"
                f" {window_days}-day return window."
            ),
        )
    return EligibilityDoc(
        eligible=True,
        reason="eligible",
        message=(
            f"This order was delivered {days_since} days ago, inside the"
            f" {window_days}-day return window."
        ),
    )
