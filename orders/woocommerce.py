"""WooCommerce adapter: the order system interface over the REST API v3 (`/wp-json/wc/v3/`).

Authentication is the store's consumer key and secret as HTTP Basic credentials, so the store
URL must be https (orders/transport.py refuses plain http off this machine).

- Orders are found by the number the customer knows (`number`, which order-number plugins
  change; by default the order id) through `GET /orders?search=`, checked for an exact match,
  then `GET /orders/<number>` for stores whose search does not cover numbers.
- Status: `completed` is delivered on `date_completed`; `cancelled` (and `refunded` without
  completion: WooCommerce marks a cancelled order refunded once its money is back) is
  cancelled; `pending`, `on-hold` and `processing` are processing until a tracking number
  is stored, then in transit.
  The tracking number is read from the order meta key the shop's shipment-tracking plugin
  writes (WOOCOMMERCE_TRACKING_META_KEY, default `_wc_shipment_tracking_items`, the WooCommerce
  Shipment Tracking extension's list of {tracking_provider, tracking_number, date_shipped}; a
  plain string value is read as the number). WooCommerce knows no delays or lost parcels.
- Refund eligibility is the assistant's own rule (orders/policy.py, SHOP_RETURN_WINDOW_DAYS).
- A refund is `POST /orders/<id>/refunds` of the order's total through the payment gateway
  (`api_refund`), no restock. WooCommerce has no idempotency key, so the key is stored on the
  refund itself (meta `_cs_idempotency_key`) and looked for before writing, and writes with one
  key are serialised in this process; the eligibility rule (one refund per order) stops a
  second refund from anywhere else.
- Cancelling sets status `cancelled` (with meta `_cs_cancel_key`) on a processing order, then
  refunds a paid order's total, because the assistant tells the customer the money comes back.
- Reads are repeated after a lost answer or 429/502/503/504; writes never are.
"""

from __future__ import annotations

import hmac
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

import requests

from orders.client import (
    Eligibility,
    Item,
    NotFound,
    Order,
    OrderSystem,
    Refund,
    Refused,
    ShopError,
    ShopUnavailable,
)
from orders.policy import refund_eligibility, refund_expected_by, refund_reference
from orders.transport import WriteRecord, connect_only_session, platform_url
from settings.env import Env

TRACKING_META_KEY = "_wc_shipment_tracking_items"
REFUND_KEY_META = "_cs_idempotency_key"
CANCEL_KEY_META = "_cs_cancel_key"
_ORDER_NUMBER = re.compile(r"^[0-9]{5,12}$")
_REFUND_REFERENCE = re.compile(r"^RF-[A-Z0-9]{6}$")
_RETRY_STATUSES = (429, 502, 503, 504)
_NOT_FOUND_CODES = ("woocommerce_rest_shop_order_invalid_id", "woocommerce_rest_invalid_id")


@dataclass(frozen=True)
class WooSettings:
    """Connection settings, from the environment (README: Connect your shop)."""

    store_url: str
    consumer_key: str
    consumer_secret: str
    timeout_s: float = 2.0
    retries: int = 1
    return_window_days: int = 30
    tracking_meta_key: str = TRACKING_META_KEY

    @classmethod
    def from_environment(cls, env: Env) -> WooSettings:
        """WOOCOMMERCE_URL, _CONSUMER_KEY and _CONSUMER_SECRET are required."""
        return cls(
            store_url=platform_url(env, "WOOCOMMERCE_URL"),
            consumer_key=env.secret("WOOCOMMERCE_CONSUMER_KEY", "the REST API key (ck_...)"),
            consumer_secret=env.secret(
                "WOOCOMMERCE_CONSUMER_SECRET", "the REST API key's secret (cs_...)"
            ),
            timeout_s=env.number("SHOP_TIMEOUT", 2.0),
            retries=env.integer("SHOP_RETRIES", 1),
            return_window_days=env.integer("SHOP_RETURN_WINDOW_DAYS", 30),
            tracking_meta_key=env.text("WOOCOMMERCE_TRACKING_META_KEY", TRACKING_META_KEY),
        )


def _day(value: Any) -> date | None:
    if not value:
        return None
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()


def _meta(doc: dict[str, Any], key: str) -> Any:
    for entry in doc.get("meta_data") or []:
        if isinstance(entry, dict) and entry.get("key") == key:
            return entry.get("value")
    return None


class WooOrders(OrderSystem):
    """The order system interface over one WooCommerce store's REST API v3."""

    platform = "woocommerce"

    def __init__(self, settings: WooSettings, today: Any = date.today) -> None:
        self._settings = settings
        self._base = f"{settings.store_url}/wp-json/wc/v3"
        self._session = connect_only_session(settings.retries, {"Accept": "application/json"})
        self._session.auth = (settings.consumer_key, settings.consumer_secret)
        self._today = today
        self._writes: WriteRecord[Any] = WriteRecord()

    @classmethod
    def from_environment(cls, env: Env | None = None) -> WooOrders:
        """An adapter configured by the WOOCOMMERCE_* variables."""
        return cls(WooSettings.from_environment(env or Env()))

    def close(self) -> None:
        """Release pooled connections."""
        self._session.close()

    # --- transport -------------------------------------------------------------------

    def _send(self, method: str, path: str, **kwargs: Any) -> Any:
        """One call's JSON (a read repeated as the module docstring says), or a ShopError."""
        tries = self._settings.retries if method == "GET" else 0
        while True:
            try:
                response = self._session.request(
                    method,
                    self._base + path,
                    timeout=self._settings.timeout_s,
                    allow_redirects=False,
                    **kwargs,
                )
            except requests.RequestException as exc:
                if tries > 0:
                    tries -= 1
                    continue
                raise ShopUnavailable(
                    "shop_unavailable",
                    f"WooCommerce did not answer {method} {path}: {type(exc).__name__}",
                ) from exc
            if response.status_code in _RETRY_STATUSES and tries > 0:
                tries -= 1
                continue
            return self._answer(method, path, response)

    def _answer(self, method: str, path: str, response: requests.Response) -> Any:
        status = response.status_code
        if status >= 500 or status == 429:
            raise ShopUnavailable("shop_unavailable", f"WooCommerce answered {status} to {path}")
        try:
            body = response.json()
        except ValueError:
            body = None
        if 200 <= status < 300:
            if not isinstance(body, (dict, list)):
                raise ShopError("malformed_response", f"WooCommerce answered {path} without JSON")
            return body
        if status in (401, 403) or 300 <= status < 400:
            raise ShopUnavailable(
                "shop_unavailable",
                f"WooCommerce answered {status} to {method} {path}: check WOOCOMMERCE_URL and"
                " the key's permissions (read/write)",
            )
        code = str(body.get("code", "unknown_error")) if isinstance(body, dict) else "unknown"
        message = str(body.get("message", "")) if isinstance(body, dict) else ""
        if status == 404 or code in _NOT_FOUND_CODES:
            raise NotFound("order_not_found", message or "No such order.")
        raise Refused(code, message or f"WooCommerce answered {status}")

    # --- reading ---------------------------------------------------------------------

    def _doc(self, order_number: str) -> dict[str, Any]:
        if not _ORDER_NUMBER.match(order_number or ""):
            raise Refused("invalid_order_number", f"{order_number!r} is not an order number.")
        found = self._send("GET", "/orders", params={"search": order_number, "per_page": 20})
        for doc in found if isinstance(found, list) else []:
            if isinstance(doc, dict) and str(doc.get("number")) == order_number:
                return doc
        try:
            doc = self._send("GET", f"/orders/{quote(order_number, safe='')}")
        except NotFound:
            doc = None
        if isinstance(doc, dict) and str(doc.get("number")) == order_number:
            return doc
        raise NotFound("order_not_found", f"There is no order {order_number}.")

    def _refund_docs(self, doc: dict[str, Any]) -> list[dict[str, Any]]:
        if not doc.get("refunds"):
            return []
        found = self._send("GET", f"/orders/{doc['id']}/refunds")
        return [r for r in found if isinstance(r, dict)] if isinstance(found, list) else []

    def _refund(self, refund: dict[str, Any], doc: dict[str, Any]) -> Refund:
        created = _day(refund.get("date_created")) or self._today()
        return Refund(
            reference=refund_reference(self.platform, str(refund["id"])),
            order_number=str(doc["number"]),
            amount=abs(float(refund["amount"])),
            currency=str(doc["currency"]),
            reason=str(refund.get("reason") or ""),
            # A gateway refund has been sent to the payment provider; a manual one not yet.
            status="paid" if refund.get("refunded_payment") else "pending",
            created_at=created,
            expected_by=refund_expected_by(created),
        )

    def _tracking(self, doc: dict[str, Any]) -> tuple[str | None, str | None, date | None]:
        value = _meta(doc, self._settings.tracking_meta_key)
        if isinstance(value, str) and value.strip():
            return None, value.strip(), None
        if isinstance(value, list) and value and isinstance(value[-1], dict):
            item = value[-1]
            carrier = item.get("custom_tracking_provider") or item.get("tracking_provider")
            shipped = item.get("date_shipped")
            shipped_day = (
                datetime.fromtimestamp(int(str(shipped))).date()
                if str(shipped or "").isdigit()
                else _day(shipped)
            )
            return (carrier or None), (item.get("tracking_number") or None), shipped_day
        return None, None, None

    def _order(self, doc: dict[str, Any]) -> Order:
        try:
            return self._parse_order(doc)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ShopError("malformed_response", f"WooCommerce order unreadable: {exc!r}") from exc

    def _parse_order(self, doc: dict[str, Any]) -> Order:
        carrier, tracking, shipped = self._tracking(doc)
        woo_status = str(doc["status"])
        completed = _day(doc.get("date_completed"))
        if woo_status in ("completed", "refunded") and completed:
            status = "delivered"
        elif woo_status in ("cancelled", "refunded"):  # a cancelled paid order ends refunded
            status = "cancelled"
        elif tracking:
            status = "in_transit"
        else:
            status = "processing"
        refunds = self._refund_docs(doc)
        newest = max(refunds, key=lambda r: str(r.get("date_created")), default=None)
        billing = doc.get("billing") or {}
        return Order(
            order_number=str(doc["number"]),
            customer_email=str(billing.get("email") or "").lower(),
            customer_name=f"{billing.get('first_name', '')} {billing.get('last_name', '')}".strip(),
            status=status,
            items=tuple(
                Item(name=str(line["name"]), quantity=int(line["quantity"]))
                for line in doc.get("line_items") or []
            ),
            total=float(doc["total"]),
            currency=str(doc["currency"]),
            ordered_at=_day(doc["date_created"]) or self._today(),
            shipped_at=shipped if status in ("in_transit", "delivered") else None,
            delivered_at=completed if status == "delivered" else None,
            expected_delivery=None,
            original_expected_delivery=None,
            delay_reason=None,
            carrier=carrier,
            tracking_number=tracking,
            refund=self._refund(newest, doc) if newest else None,
        )

    def health(self) -> bool:
        """True when the store answers an order listing with these keys."""
        try:
            return isinstance(self._send("GET", "/orders", params={"per_page": 1}), list)
        except ShopError:
            return False

    def list_orders(self, email: str | None = None) -> list[Order]:
        """One customer's orders (exact billing email, case-insensitive), or the 50 latest."""
        if email is not None and not email.strip():
            raise Refused("invalid_email", "The email filter is empty; omit it or give one.")
        params: dict[str, Any] = {"per_page": 50}
        wanted = email.strip().lower() if email is not None else None
        if wanted:
            params["search"] = wanted
        found = self._send("GET", "/orders", params=params)
        docs = [d for d in found if isinstance(d, dict)] if isinstance(found, list) else []
        orders = [self._order(d) for d in docs]
        if wanted is not None:
            orders = [o for o in orders if o.customer_email == wanted]
        return sorted(orders, key=lambda o: o.order_number)

    def get_order(self, order_number: str) -> Order:
        """The order with this number; NotFound if there is none."""
        return self._order(self._doc(order_number))

    def refund_eligibility(self, order_number: str) -> Eligibility:
        """The assistant's return-window rule on WooCommerce's facts."""
        order = self.get_order(order_number)
        return refund_eligibility(order, self._today(), self._settings.return_window_days)

    def get_refund(self, reference: str) -> Refund:
        """A refund by reference, among the 50 most recently changed refunded orders."""
        if not _REFUND_REFERENCE.match(reference or ""):
            raise Refused("invalid_refund_reference", f"{reference!r} is not a refund reference.")
        params = {"status": "refunded", "per_page": 50, "orderby": "modified", "order": "desc"}
        found = self._send("GET", "/orders", params=params)
        for doc in found if isinstance(found, list) else []:
            for refund in self._refund_docs(doc):
                if refund_reference(self.platform, str(refund.get("id"))) == reference:
                    return self._parsed_refund(refund, doc)
        raise NotFound("refund_not_found", f"There is no refund {reference}.")

    def _parsed_refund(self, refund: dict[str, Any], doc: dict[str, Any]) -> Refund:
        try:
            return self._refund(refund, doc)
        except (KeyError, TypeError, ValueError) as exc:
            raise ShopError(
                "malformed_response", f"WooCommerce refund unreadable: {exc!r}"
            ) from exc

    def verify_owner(self, order_number: str, email: str) -> bool:
        """The billing email compared in constant time; the same False for no such order."""
        try:
            stored = self.get_order(order_number).customer_email
        except (NotFound, Refused):
            stored = ""
        given = (email or "").strip().lower()
        return hmac.compare_digest(stored.encode(), given.encode()) and bool(stored)

    # --- writing ---------------------------------------------------------------------

    def _post_refund(self, doc: dict[str, Any], reason: str, key: str) -> Refund:
        body = {
            "amount": str(doc["total"]),
            "reason": reason,
            "api_refund": True,
            "api_restock": False,
            "meta_data": [{"key": REFUND_KEY_META, "value": key}],
        }
        created = self._send("POST", f"/orders/{doc['id']}/refunds", json=body)
        if not isinstance(created, dict):
            raise ShopError("malformed_response", "WooCommerce answered a refund without JSON")
        return self._parsed_refund(created, doc)

    def create_refund(
        self, order_number: str, reason: str, idempotency_key: str | None = None
    ) -> Refund:
        """Refund the order's total; the same key again finds the refund it made."""
        key = idempotency_key or uuid.uuid4().hex
        with self._writes.claim(key):
            kept = self._writes.get(key)
            if isinstance(kept, Refund):
                return kept
            doc = self._doc(order_number)
            for refund in self._refund_docs(doc):
                if _meta(refund, REFUND_KEY_META) == key:  # made by an earlier try
                    return self._parsed_refund(refund, doc)
            order = self._order(doc)
            eligibility = refund_eligibility(
                order, self._today(), self._settings.return_window_days
            )
            if not eligibility.eligible:
                raise Refused(eligibility.reason, eligibility.message)
            made = self._post_refund(doc, reason, key)
            self._writes.put(key, made)
            return made

    def cancel_order(self, order_number: str, idempotency_key: str | None = None) -> Order:
        """Cancel a processing order (and refund what was paid); Refused once it has shipped."""
        key = idempotency_key or uuid.uuid4().hex
        with self._writes.claim(key):
            kept = self._writes.get(key)
            if isinstance(kept, Order):
                return kept
            doc = self._doc(order_number)
            order = self._order(doc)
            if order.status == "cancelled":
                if _meta(doc, CANCEL_KEY_META) == key:  # an earlier try of this request
                    return order
                raise Refused("already_cancelled", "This order is already cancelled.")
            if order.status != "processing":
                raise Refused(
                    "already_shipped",
                    f"This order can no longer be cancelled: its status is {order.status}.",
                )
            body = {"status": "cancelled", "meta_data": [{"key": CANCEL_KEY_META, "value": key}]}
            updated = self._send("PUT", f"/orders/{doc['id']}", json=body)
            if not isinstance(updated, dict):
                raise ShopError("malformed_response", "WooCommerce answered a cancel without JSON")
            if doc.get("date_paid") and float(doc.get("total") or 0) > 0:
                self._post_refund(doc, "Order cancelled at the customer's request", key)
            cancelled = self._order(self._doc(order_number))
            self._writes.put(key, cancelled)
            return cancelled
