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
- Refund status: WooCommerce says only whether a refund went through the payment gateway
  (`refunded_payment`), not when the money arrived, so a refund reads pending until the day
  promised to the customer has passed, then paid (a manual refund stays pending).
- Cancelling sets status `cancelled` (with meta `_cs_cancel_key`) on a processing order, then
  refunds a paid order's total, because the assistant tells the customer the money comes back.
- Reads are repeated after a lost answer or 429/502/503/504; writes never are.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

import requests

from orders.client import Item, NotFound, Order, Refund, Refused, ShopError, ShopUnavailable
from orders.platform import PlatformOrders, Record, platform_day
from orders.policy import refund_expected_by, refund_reference
from orders.transport import connect_only_session, platform_url
from settings.env import Env

TRACKING_META_KEY = "_wc_shipment_tracking_items"
REFUND_KEY_META = "_cs_idempotency_key"
CANCEL_KEY_META = "_cs_cancel_key"
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


def _meta(doc: dict[str, Any], key: str) -> Any:
    for entry in doc.get("meta_data") or []:
        if isinstance(entry, dict) and entry.get("key") == key:
            return entry.get("value")
    return None


class WooOrders(PlatformOrders):
    """The order system interface over one WooCommerce store's REST API v3."""

    platform = "woocommerce"
    title = "WooCommerce"

    def __init__(self, settings: WooSettings, today: Any = date.today) -> None:
        session = connect_only_session(settings.retries, {"Accept": "application/json"})
        session.auth = (settings.consumer_key, settings.consumer_secret)
        super().__init__(session, settings.return_window_days, today)
        self._settings = settings
        self._base = f"{settings.store_url}/wp-json/wc/v3"

    @classmethod
    def from_environment(cls, env: Env | None = None) -> WooOrders:
        """An adapter configured by the WOOCOMMERCE_* variables."""
        return cls(WooSettings.from_environment(env or Env()))

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

    # --- the API mapping -------------------------------------------------------------

    def _raw_order(self, order_number: str) -> Record:
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

    def _records(self, params: dict[str, Any]) -> list[Record]:
        found = self._send("GET", "/orders", params=params)
        return [d for d in found if isinstance(d, dict)] if isinstance(found, list) else []

    def _raw_orders(self, email: str | None) -> list[Record]:
        params: dict[str, Any] = {"per_page": 50}
        if email:
            params["search"] = email
        return self._records(params)

    def _recent_refunds(self) -> Iterator[tuple[Record, Record]]:
        params = {"status": "refunded", "per_page": 50, "orderby": "modified", "order": "desc"}
        for doc in self._records(params):
            for refund in self._refund_docs(doc):
                yield refund, doc

    def _refund_docs(self, doc: Record) -> list[Record]:
        if not doc.get("refunds"):
            return []
        found = self._send("GET", f"/orders/{doc['id']}/refunds")
        return [r for r in found if isinstance(r, dict)] if isinstance(found, list) else []

    def _map_refund(self, refund: Record, raw_order: Record) -> Refund:
        created = platform_day(refund.get("date_created")) or self._today()
        expected_by = refund_expected_by(created)
        # WooCommerce tells only that a gateway refund was sent to the payment provider, not
        # when the money arrived: such a refund is on its way until its promised day has
        # passed, as a new refund is with the demo shop; a manual one waits for the shop.
        paid = bool(refund.get("refunded_payment")) and expected_by < self._today()
        return Refund(
            reference=refund_reference(self.platform, str(refund["id"])),
            order_number=str(raw_order["number"]),
            amount=abs(float(refund["amount"])),
            currency=str(raw_order["currency"]),
            reason=str(refund.get("reason") or ""),
            status="paid" if paid else "pending",
            created_at=created,
            expected_by=expected_by,
        )

    def _tracking(self, doc: Record) -> tuple[str | None, str | None, date | None]:
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
                else platform_day(shipped)
            )
            return (carrier or None), (item.get("tracking_number") or None), shipped_day
        return None, None, None

    def _map_order(self, raw: Record) -> Order:
        carrier, tracking, shipped = self._tracking(raw)
        woo_status = str(raw["status"])
        completed = platform_day(raw.get("date_completed"))
        if woo_status in ("completed", "refunded") and completed:
            status = "delivered"
        elif woo_status in ("cancelled", "refunded"):  # a cancelled paid order ends refunded
            status = "cancelled"
        elif tracking:
            status = "in_transit"
        else:
            status = "processing"
        refunds = self._refund_docs(raw)
        newest = max(refunds, key=lambda r: str(r.get("date_created")), default=None)
        billing = raw.get("billing") or {}
        return Order(
            order_number=str(raw["number"]),
            customer_email=str(billing.get("email") or "").lower(),
            customer_name=f"{billing.get('first_name', '')} {billing.get('last_name', '')}".strip(),
            status=status,
            items=tuple(
                Item(name=str(line["name"]), quantity=int(line["quantity"]))
                for line in raw.get("line_items") or []
            ),
            total=float(raw["total"]),
            currency=str(raw["currency"]),
            ordered_at=platform_day(raw["date_created"]) or self._today(),
            shipped_at=shipped if status in ("in_transit", "delivered") else None,
            delivered_at=completed if status == "delivered" else None,
            expected_delivery=None,
            original_expected_delivery=None,
            delay_reason=None,
            carrier=carrier,
            tracking_number=tracking,
            refund=self._map_refund(newest, raw) if newest else None,
        )

    def health(self) -> bool:
        """True when the store answers an order listing with these keys."""
        try:
            return isinstance(self._send("GET", "/orders", params={"per_page": 1}), list)
        except ShopError:
            return False

    # --- writing ---------------------------------------------------------------------

    def _earlier_refund(self, raw: Record, key: str) -> Refund | None:
        """WooCommerce has no idempotency key: the key is kept on the refund it made."""
        for refund in self._refund_docs(raw):
            if _meta(refund, REFUND_KEY_META) == key:
                return self._refund(refund, raw)
        return None

    def _write_refund(self, raw: Record, reason: str, key: str) -> Refund:
        body = {
            "amount": str(raw["total"]),
            "reason": reason,
            "api_refund": True,
            "api_restock": False,
            "meta_data": [{"key": REFUND_KEY_META, "value": key}],
        }
        created = self._send("POST", f"/orders/{raw['id']}/refunds", json=body)
        if not isinstance(created, dict):
            raise ShopError("malformed_response", "WooCommerce answered a refund without JSON")
        return self._refund(created, raw)

    def _cancelled_with(self, raw: Record, key: str) -> bool:
        return bool(_meta(raw, CANCEL_KEY_META) == key)

    def _write_cancel(self, raw: Record, order: Order, key: str) -> Order:
        """Status `cancelled` with the key kept on the order, then a refund of what was paid."""
        body = {"status": "cancelled", "meta_data": [{"key": CANCEL_KEY_META, "value": key}]}
        updated = self._send("PUT", f"/orders/{raw['id']}", json=body)
        if not isinstance(updated, dict):
            raise ShopError("malformed_response", "WooCommerce answered a cancel without JSON")
        if raw.get("date_paid") and float(raw.get("total") or 0) > 0:
            self._write_refund(raw, "Order cancelled at the customer's request", key)
        return self._order(self._raw_order(order.order_number))
