"""What the store-platform adapters (Shopify, WooCommerce) share above their API mapping.

The demo shop applies its refund and cancellation rules itself; a store platform has none the
assistant can ask, so the adapters apply the assistant's own (orders/policy.py) to the `Order`
they map from the platform's records. That shared half lives here once: the checks on order
numbers and refund references, the ownership check, the return-window rule, finding a refund
by its RF- reference, and the order of steps of a write (key, earlier answer, rule, write,
record) that keeps a retried refund or cancellation from happening twice.

A subclass holds only its platform's API mapping: how to fetch one order's record, a
customer's records and recently refunded ones, how a record reads as an `Order` or `Refund`,
and how the platform is asked to refund or cancel.
"""

from __future__ import annotations

import hmac
import re
import uuid
from abc import abstractmethod
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any, TypeVar

import requests

from orders.client import (
    Eligibility,
    NotFound,
    Order,
    OrderSystem,
    Refund,
    Refused,
    ShopError,
)
from orders.policy import refund_eligibility, refund_reference
from orders.transport import WriteRecord

T = TypeVar("T")
Record = dict[str, Any]
"""One platform record (an order or a refund) as its API returned it."""

REFUND_REFERENCE = re.compile(r"^RF-[A-Z0-9]{6}$")
_UNREADABLE = (KeyError, TypeError, ValueError, AttributeError)


def platform_day(value: Any) -> date | None:
    """The day of a platform timestamp (ISO 8601, `Z` allowed); None when there is none."""
    if not value:
        return None
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()


class PlatformOrders(OrderSystem):
    """The order system interface over a store platform, given its API mapping.

    `platform` names it in refund references (never change it: references would change),
    `title` in messages.
    """

    platform: str
    title: str

    def __init__(
        self, session: requests.Session, return_window_days: int, today: Callable[[], date]
    ) -> None:
        self._session = session
        self._return_window_days = return_window_days
        self._today = today
        self._refunds: WriteRecord[Refund] = WriteRecord()
        self._cancels: WriteRecord[Order] = WriteRecord()

    def close(self) -> None:
        """Release pooled connections."""
        self._session.close()

    # --- the platform's API mapping ----------------------------------------------------

    @abstractmethod
    def _raw_order(self, order_number: str) -> Record:
        """The record of the order with this (well-formed) number; NotFound if none."""

    @abstractmethod
    def _raw_orders(self, email: str | None) -> Iterable[Record]:
        """Records of orders placed with `email` (lower case), or the latest ones; may hold
        others, which are filtered out by their email."""

    @abstractmethod
    def _recent_refunds(self) -> Iterable[tuple[Record, Record]]:
        """(refund, its order) records of the recently refunded orders."""

    @abstractmethod
    def _map_order(self, raw: Record) -> Order:
        """An order record as an `Order`; may raise KeyError etc. on a malformed one."""

    @abstractmethod
    def _map_refund(self, refund: Record, raw_order: Record) -> Refund:
        """A refund record of the order `raw_order` as a `Refund`."""

    @abstractmethod
    def _write_refund(self, raw: Record, reason: str, key: str) -> Refund:
        """Ask the platform to refund the order (already found refundable)."""

    @abstractmethod
    def _write_cancel(self, raw: Record, order: Order, key: str) -> Order:
        """Ask the platform to cancel the order (already found cancellable)."""

    def _earlier_refund(self, raw: Record, key: str) -> Refund | None:
        """The refund an earlier try with `key` made, where the platform keeps the key."""
        return None

    def _cancelled_with(self, raw: Record, key: str) -> bool:
        """True when an earlier try with `key` cancelled it, where the platform keeps the key."""
        return False

    def _cancellable(self, raw: Record) -> bool:
        """The platform's own word on whether an unshipped order may still be cancelled."""
        return True

    # --- reading -----------------------------------------------------------------------

    def _parsed(self, what: str, parse: Callable[..., T], *records: Record) -> T:
        try:
            return parse(*records)
        except _UNREADABLE as exc:
            message = f"{self.title} {what} unreadable: {exc!r}"
            raise ShopError("malformed_response", message) from exc

    def _order(self, raw: Record) -> Order:
        return self._parsed("order", self._map_order, raw)

    def _refund(self, refund: Record, raw_order: Record) -> Refund:
        return self._parsed("refund", self._map_refund, refund, raw_order)

    def _find(self, order_number: str) -> Record:
        if not self.order_number.match(order_number or ""):
            raise Refused("invalid_order_number", f"{order_number!r} is not an order number.")
        return self._raw_order(order_number)

    def get_order(self, order_number: str) -> Order:
        """The order with the number the customer knows; NotFound if there is none."""
        return self._order(self._find(order_number))

    def list_orders(self, email: str | None = None) -> list[Order]:
        """One customer's orders (exact email, case-insensitive), or the latest ones."""
        if email is not None and not email.strip():
            raise Refused("invalid_email", "The email filter is empty; omit it or give one.")
        wanted = email.strip().lower() if email is not None else None
        orders = [self._order(raw) for raw in self._raw_orders(wanted)]
        if wanted is not None:
            orders = [order for order in orders if order.customer_email == wanted]
        return sorted(orders, key=lambda order: order.order_number)

    def refund_eligibility(self, order_number: str) -> Eligibility:
        """The assistant's return-window rule on the platform's facts."""
        return self._eligibility(self.get_order(order_number))

    def _eligibility(self, order: Order) -> Eligibility:
        return refund_eligibility(order, self._today(), self._return_window_days)

    def get_refund(self, reference: str) -> Refund:
        """A refund by reference, among the recently refunded orders."""
        if not REFUND_REFERENCE.match(reference or ""):
            raise Refused("invalid_refund_reference", f"{reference!r} is not a refund reference.")
        for refund, raw_order in self._recent_refunds():
            if refund_reference(self.platform, str(refund.get("id"))) == reference:
                return self._refund(refund, raw_order)
        raise NotFound("refund_not_found", f"There is no refund {reference}.")

    def verify_owner(self, order_number: str, email: str) -> bool:
        """The order's email compared in constant time; the same False for no such order."""
        try:
            stored = self.get_order(order_number).customer_email
        except (NotFound, Refused):
            stored = ""
        given = (email or "").strip().lower()
        return hmac.compare_digest(stored.encode(), given.encode()) and bool(stored)

    # --- writing -----------------------------------------------------------------------

    def create_refund(
        self, order_number: str, reason: str, idempotency_key: str | None = None
    ) -> Refund:
        """Refund the order if the rule allows; the same key again gets the first refund."""
        key = idempotency_key or uuid.uuid4().hex
        return self._refunds.once(key, lambda: self._refund_once(order_number, reason, key))

    def _refund_once(self, order_number: str, reason: str, key: str) -> Refund:
        raw = self._find(order_number)
        earlier = self._earlier_refund(raw, key)
        if earlier is not None:
            return earlier
        eligibility = self._eligibility(self._order(raw))
        if not eligibility.eligible:
            raise Refused(eligibility.reason, eligibility.message)
        return self._write_refund(raw, reason, key)

    def cancel_order(self, order_number: str, idempotency_key: str | None = None) -> Order:
        """Cancel an unshipped order; Refused already_cancelled / already_shipped otherwise.

        The same key again gets the first answer.
        """
        key = idempotency_key or uuid.uuid4().hex
        return self._cancels.once(key, lambda: self._cancel_once(order_number, key))

    def _cancel_once(self, order_number: str, key: str) -> Order:
        raw = self._find(order_number)
        order = self._order(raw)
        if order.status == "cancelled":
            if self._cancelled_with(raw, key):
                return order
            raise Refused("already_cancelled", "This order is already cancelled.")
        if order.status != "processing" or not self._cancellable(raw):
            raise Refused(
                "already_shipped",
                f"This order can no longer be cancelled: its status is {order.status}.",
            )
        return self._write_cancel(raw, order, key)
