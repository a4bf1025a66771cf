"""Shopify adapter: the order system interface over the GraphQL Admin API (pinned version).

The REST Admin API is legacy since October 2024, so every call is one POST to
`<store>/admin/api/<version>/graphql.json` with `X-Shopify-Access-Token`. Reads and writes are
both POSTs there, so the HTTP method cannot tell them apart: this module does (`write=`).

- Orders are found by their name as the customer sees it in the confirmation email and the
  order status page (`#1001`: SHOPIFY_ORDER_NAME_PREFIX + the number; Shopify counts from
  1001, so four digits and up), checked for an exact match. The long ids (`gid://...`,
  admin URLs) are the adapter's own business and never asked of a customer.
- Status comes from `cancelledAt`, `displayFulfillmentStatus` and the latest fulfilment
  (its `displayStatus`, `deliveredAt`, newest events): unfulfilled is `processing`, DELIVERED
  `delivered`, a DELAYED event `delayed`, FAILURE `lost`, anything else shipped `in_transit`.
  Carrier, tracking number and URL come from the fulfilment's `trackingInfo`.
- Refund eligibility is the assistant's own rule (orders/policy.py, SHOP_RETURN_WINDOW_DAYS).
- A refund asks `suggestedRefund` for every remaining item and the shipping, then sends
  `refundCreate` with Shopify's suggested transactions, no restock, and the `@idempotent`
  directive carrying the caller's key: a repeat gets the first refund back.
- Cancelling sends `orderCancel` (refund to the original payment method, restock, notify) for
  an unfulfilled order only; Shopify has no idempotency key for it, so the answer is kept in
  this process by key, and the order's own state refuses a second cancellation anywhere.
- Throttling: Shopify rates by calculated query cost and answers THROTTLED (with
  `extensions.cost.throttleStatus`) when the bucket is empty. The adapter waits what the
  restore rate says (at most SHOPIFY_MAX_THROTTLE_WAIT seconds per wait) before sending when
  the last known budget is low, and after a THROTTLED answer tries again: a THROTTLED call
  did not run, so even a write is repeated only then. A read is also repeated after a lost
  answer or 502-504; a write never is.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import requests

from orders.client import (
    Item,
    NotFound,
    Order,
    Refund,
    Refused,
    ShopError,
    ShopUnavailable,
    json_object,
)
from orders.platform import PlatformOrders, Record, platform_day
from orders.policy import refund_expected_by, refund_reference
from orders.transport import connect_only_session, platform_url
from settings.env import Env

logger = logging.getLogger(__name__)

API_VERSION = "2026-01"
"""Pinned: refundCreate takes `@idempotent` from 2026-01 (and requires it from 2026-04)."""

_RETRY_STATUSES = (502, 503, 504)
_DEFAULT_COST = 60.0
_CANCELLABLE = ("UNFULFILLED", "OPEN", "ON_HOLD", "SCHEDULED", "REQUEST_DECLINED")

_ORDER_FIELDS = """
fragment OrderFacts on Order {
  id name email createdAt cancelledAt displayFulfillmentStatus
  billingAddress { name }
  totalPriceSet { shopMoney { amount currencyCode } }
  lineItems(first: 50) { nodes { id title quantity currentQuantity } }
  fulfillments(first: 10) {
    status displayStatus createdAt inTransitAt deliveredAt estimatedDeliveryAt
    trackingInfo(first: 1) { company number url }
    events(first: 5, sortKey: HAPPENED_AT, reverse: true) {
      nodes { status happenedAt estimatedDeliveryAt message }
    }
  }
  refunds(first: 10) {
    id createdAt note
    totalRefundedSet { shopMoney { amount currencyCode } }
    transactions(first: 5) { nodes { kind status } }
  }
}
"""

_Q_SHOP = "query ShopHealth { shop { name } }"
_Q_ORDERS = (
    "query FindOrders($query: String!, $first: Int!) {"
    " orders(first: $first, query: $query, sortKey: UPDATED_AT, reverse: true) {"
    " nodes { ...OrderFacts } } }" + _ORDER_FIELDS
)
_Q_SUGGESTED = """
query SuggestedRefund($id: ID!, $lines: [RefundLineItemInput!]) {
  order(id: $id) {
    suggestedRefund(refundShipping: true, refundLineItems: $lines) {
      amountSet { shopMoney { amount currencyCode } }
      refundLineItems { lineItem { id } quantity }
      suggestedTransactions {
        gateway kind parentTransaction { id }
        amountSet { shopMoney { amount currencyCode } }
      }
    }
  }
}
"""
_M_REFUND = """
mutation RefundCreate($input: RefundInput!, $key: String!) {
  refundCreate(input: $input) @idempotent(key: $key) {
    refund {
      id createdAt note
      totalRefundedSet { shopMoney { amount currencyCode } }
      transactions(first: 5) { nodes { kind status } }
    }
    userErrors { field message }
  }
}
"""
_M_CANCEL = """
mutation OrderCancel($orderId: ID!, $staffNote: String) {
  orderCancel(orderId: $orderId, reason: CUSTOMER, restock: true, notifyCustomer: true,
              refundMethod: {originalPaymentMethodsRefund: true}, staffNote: $staffNote) {
    job { id done }
    orderCancelUserErrors { field message code }
  }
}
"""


@dataclass(frozen=True)
class ShopifySettings:
    """Connection settings, from the environment (README: Connect your shop)."""

    store_url: str
    access_token: str
    api_version: str = API_VERSION
    timeout_s: float = 2.0
    retries: int = 1
    max_throttle_wait_s: float = 3.0
    return_window_days: int = 30
    order_name_prefix: str = "#"

    @classmethod
    def from_environment(cls, env: Env) -> ShopifySettings:
        """SHOPIFY_STORE_URL and SHOPIFY_ACCESS_TOKEN are required; the rest have defaults."""
        return cls(
            store_url=platform_url(env, "SHOPIFY_STORE_URL"),
            access_token=env.secret(
                "SHOPIFY_ACCESS_TOKEN", "the Admin API access token of your Shopify app"
            ),
            api_version=env.text("SHOPIFY_API_VERSION", API_VERSION),
            timeout_s=env.number("SHOP_TIMEOUT", 2.0),
            retries=env.integer("SHOP_RETRIES", 1),
            max_throttle_wait_s=env.number("SHOPIFY_MAX_THROTTLE_WAIT", 3.0),
            return_window_days=env.integer("SHOP_RETURN_WINDOW_DAYS", 30),
            order_name_prefix=env.text("SHOPIFY_ORDER_NAME_PREFIX", "#"),
        )


def _money(money_set: dict[str, Any]) -> tuple[float, str]:
    shop = money_set["shopMoney"]
    return float(shop["amount"]), str(shop["currencyCode"])


def _quoted(value: str) -> str:
    """A value for Shopify's search syntax, in double quotes."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _refund_status(transactions: list[dict[str, Any]]) -> str:
    statuses = {t.get("status") for t in transactions if t.get("kind") == "REFUND"}
    if not statuses or statuses <= {"SUCCESS"}:
        return "paid" if statuses else "pending"
    if statuses & {"FAILURE", "ERROR"}:
        return "failed"
    return "pending"


class ShopifyOrders(PlatformOrders):
    """The order system interface over one Shopify store's GraphQL Admin API."""

    platform = "shopify"
    title = "Shopify"
    order_number = re.compile(r"^[0-9]{4,12}$")

    def __init__(
        self,
        settings: ShopifySettings,
        today: Any = date.today,
        sleep: Any = time.sleep,
    ) -> None:
        session = connect_only_session(
            settings.retries,
            {
                "X-Shopify-Access-Token": settings.access_token,
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
        )
        super().__init__(session, settings.return_window_days, today)
        self._settings = settings
        self._endpoint = f"{settings.store_url}/admin/api/{settings.api_version}/graphql.json"
        self._sleep = sleep
        self._budget_lock = threading.Lock()
        self._budget: tuple[float, float, float, float] | None = None  # avail, max, rate, at
        self._costs: dict[str, float] = {}

    @classmethod
    def from_environment(cls, env: Env | None = None) -> ShopifyOrders:
        """An adapter configured by the SHOPIFY_* variables."""
        return cls(ShopifySettings.from_environment(env or Env()))

    # --- transport -------------------------------------------------------------------

    def _note_cost(self, operation: str, extensions: Any) -> dict[str, Any]:
        cost = extensions.get("cost") if isinstance(extensions, dict) else None
        if not isinstance(cost, dict):
            return {}
        status = cost.get("throttleStatus") or {}
        try:
            budget = (
                float(status["currentlyAvailable"]),
                float(status["maximumAvailable"]),
                float(status["restoreRate"]),
                time.monotonic(),
            )
        except (KeyError, TypeError, ValueError):
            return cost
        with self._budget_lock:
            self._budget = budget
            requested = cost.get("requestedQueryCost")
            if isinstance(requested, (int, float)):
                self._costs[operation] = float(requested)
        return cost

    def _wait_for_budget(self, operation: str) -> None:
        """Sleeps until the last known bucket holds this operation's cost (bounded)."""
        with self._budget_lock:
            if self._budget is None:
                return
            available, maximum, rate, at = self._budget
            needed = min(self._costs.get(operation, _DEFAULT_COST), maximum)
        now_available = min(maximum, available + rate * (time.monotonic() - at))
        if now_available >= needed or rate <= 0:
            return
        self._sleep(min((needed - now_available) / rate, self._settings.max_throttle_wait_s))

    def _throttle_wait(self, cost: dict[str, Any]) -> float:
        status = cost.get("throttleStatus") or {}
        try:
            requested = float(cost.get("requestedQueryCost") or _DEFAULT_COST)
            available = float(status["currentlyAvailable"])
            rate = float(status["restoreRate"])
        except (KeyError, TypeError, ValueError):
            return 1.0
        return max(0.0, (requested - available) / rate) if rate > 0 else float("inf")

    def _call(
        self, operation: str, query: str, variables: dict[str, Any], *, write: bool = False
    ) -> dict[str, Any]:
        """One GraphQL operation's `data`, or a ShopError; see the module docstring for retries."""
        transport_tries = 0 if write else self._settings.retries
        throttle_tries = max(2, self._settings.retries + 1)
        payload = {"query": query, "variables": variables, "operationName": operation}
        while True:
            self._wait_for_budget(operation)
            try:
                response = self._session.post(
                    self._endpoint,
                    json=payload,
                    timeout=self._settings.timeout_s,
                    allow_redirects=False,
                )
            except requests.RequestException as exc:
                if transport_tries > 0:
                    transport_tries -= 1
                    self._sleep(0.2)
                    continue
                raise ShopUnavailable(
                    "shop_unavailable", f"Shopify did not answer {operation}: {type(exc).__name__}"
                ) from exc
            if response.status_code in _RETRY_STATUSES and transport_tries > 0:
                transport_tries -= 1
                self._sleep(0.2)
                continue
            body = self._body(operation, response)
            cost = self._note_cost(operation, body.get("extensions"))
            errors = body.get("errors")
            if response.status_code == 429 or _throttled(errors):
                wait = self._throttle_wait(cost)
                if throttle_tries <= 0 or wait > self._settings.max_throttle_wait_s:
                    raise ShopUnavailable(
                        "shop_throttled",
                        f"Shopify throttled {operation}; the budget refills in {wait:.1f}s",
                    )
                throttle_tries -= 1
                self._sleep(wait)
                continue  # a THROTTLED operation did not run: repeating it is safe
            if errors:
                raise ShopError("platform_error", f"Shopify refused {operation}: {errors!r}"[:500])
            data = body.get("data")
            if not isinstance(data, dict):
                raise ShopError("malformed_response", f"Shopify answered {operation} without data")
            return data

    def _body(self, operation: str, response: requests.Response) -> dict[str, Any]:
        if response.status_code >= 500:
            raise ShopUnavailable(
                "shop_unavailable", f"Shopify answered {response.status_code} to {operation}"
            )
        if response.status_code in (401, 402, 403, 404, 423):
            # Wrong token, missing scope, unpaid or locked store, wrong URL or API version.
            raise ShopUnavailable(
                "shop_unavailable",
                f"Shopify answered {response.status_code} to {operation}: check"
                " SHOPIFY_STORE_URL, SHOPIFY_API_VERSION and the token's access scopes",
            )
        return json_object(response, f"Shopify answered {operation}")

    # --- the API mapping -------------------------------------------------------------

    def _search(self, query: str, first: int) -> list[Record]:
        data = self._call("FindOrders", _Q_ORDERS, {"query": query, "first": first})
        try:
            nodes = data["orders"]["nodes"]
        except (KeyError, TypeError) as exc:
            raise ShopError("malformed_response", "Shopify orders without nodes") from exc
        return [n for n in nodes if isinstance(n, dict)]

    def _raw_order(self, order_number: str) -> Record:
        name = self._settings.order_name_prefix + order_number
        for node in self._search(f"name:{_quoted(name)}", 5):
            if node.get("name") == name:
                return node
        raise NotFound("order_not_found", f"There is no order {order_number}.")

    def _raw_orders(self, email: str | None) -> list[Record]:
        return self._search(f"email:{_quoted(email)}" if email is not None else "", 50)

    def _recent_refunds(self) -> Iterator[tuple[Record, Record]]:
        query = "financial_status:refunded OR financial_status:partially_refunded"
        for node in self._search(query, 50):
            for refund in node.get("refunds") or []:
                yield refund, node

    def _number(self, name: str) -> str:
        prefix = self._settings.order_name_prefix
        return name[len(prefix) :] if prefix and name.startswith(prefix) else name

    def _map_refund(self, refund: Record, raw_order: Record) -> Refund:
        amount, currency = _money(refund["totalRefundedSet"])
        created = platform_day(refund["createdAt"]) or self._today()
        return Refund(
            reference=refund_reference(self.platform, str(refund["id"])),
            order_number=self._number(str(raw_order["name"])),
            amount=amount,
            currency=currency,
            reason=str(refund.get("note") or ""),
            status=_refund_status((refund.get("transactions") or {}).get("nodes") or []),
            created_at=created,
            expected_by=refund_expected_by(created),
        )

    def _map_order(self, raw: Record) -> Order:
        total, currency = _money(raw["totalPriceSet"])
        active = [f for f in raw.get("fulfillments") or [] if f.get("status") != "CANCELLED"]
        latest = max(active, key=lambda f: str(f.get("createdAt") or ""), default=None)
        events = ((latest or {}).get("events") or {}).get("nodes") or []
        newest_event = events[0] if events else {}
        tracking = ((latest or {}).get("trackingInfo") or [{}])[0] if latest else {}
        status = self._status(raw, latest, newest_event)
        expected = platform_day((latest or {}).get("estimatedDeliveryAt"))
        original = None
        if status == "delayed":
            earlier = [platform_day(e.get("estimatedDeliveryAt")) for e in events[1:]]
            original = next((d for d in earlier if d and d != expected), None)
        refunds = [r for r in raw.get("refunds") or [] if isinstance(r, dict)]
        newest_refund = max(refunds, key=lambda r: str(r.get("createdAt")), default=None)
        items = tuple(
            Item(name=str(line["title"]), quantity=int(line.get("quantity") or 0))
            for line in (raw.get("lineItems") or {}).get("nodes") or []
        )
        shipped = (latest or {}).get("inTransitAt") or (latest or {}).get("createdAt")
        return Order(
            order_number=self._number(str(raw["name"])),
            customer_email=str(raw.get("email") or "").lower(),
            customer_name=str((raw.get("billingAddress") or {}).get("name") or ""),
            status=status,
            items=items,
            total=total,
            currency=currency,
            ordered_at=platform_day(raw["createdAt"]) or self._today(),
            shipped_at=platform_day(shipped),
            delivered_at=(
                platform_day((latest or {}).get("deliveredAt")) if status == "delivered" else None
            ),
            expected_delivery=expected if status in ("in_transit", "delayed") else None,
            original_expected_delivery=original,
            delay_reason=(newest_event.get("message") or None) if status == "delayed" else None,
            carrier=(tracking or {}).get("company") or None,
            tracking_number=(tracking or {}).get("number") or None,
            refund=self._map_refund(newest_refund, raw) if newest_refund else None,
            tracking_url=(tracking or {}).get("url") or None,
        )

    @staticmethod
    def _status(node: Record, latest: Record | None, newest_event: Record) -> str:
        if node.get("cancelledAt"):
            return "cancelled"
        if latest is None:
            return "processing"
        shown = latest.get("displayStatus")
        if shown == "DELIVERED" or latest.get("deliveredAt"):
            return "delivered"
        if newest_event.get("status") == "DELAYED":
            return "delayed"
        if shown == "FAILURE" or newest_event.get("status") == "FAILURE":
            return "lost"
        return "in_transit"

    def health(self) -> bool:
        """True when the store answers a one-field query with this token."""
        try:
            return isinstance(self._call("ShopHealth", _Q_SHOP, {}).get("shop"), dict)
        except ShopError:
            return False

    # --- writing ---------------------------------------------------------------------

    def _write_refund(self, raw: Record, reason: str, key: str) -> Refund:
        """Every remaining item and the shipping, at the amounts Shopify suggests."""
        lines = [
            {"lineItemId": line["id"], "quantity": int(line.get("currentQuantity") or 0)}
            for line in (raw.get("lineItems") or {}).get("nodes") or []
            if int(line.get("currentQuantity") or 0) > 0
        ]
        suggested = self._suggested(str(raw["id"]), lines)
        transactions = [
            {
                "orderId": raw["id"],
                "gateway": t["gateway"],
                "kind": "REFUND",
                "amount": t["amountSet"]["shopMoney"]["amount"],
                "parentId": (t.get("parentTransaction") or {}).get("id"),
            }
            for t in suggested.get("suggestedTransactions") or []
        ]
        refund_input = {
            "orderId": raw["id"],
            "note": reason,
            "notify": True,
            "shipping": {"fullRefund": True},
            "refundLineItems": [
                {
                    "lineItemId": line["lineItem"]["id"],
                    "quantity": int(line["quantity"]),
                    "restockType": "NO_RESTOCK",
                }
                for line in suggested.get("refundLineItems") or []
            ],
            "transactions": transactions,
        }
        data = self._call(
            "RefundCreate", _M_REFUND, {"input": refund_input, "key": key}, write=True
        )
        payload = data.get("refundCreate") or {}
        errors = payload.get("userErrors") or []
        if errors:
            message = "; ".join(str(e.get("message")) for e in errors)
            raise Refused("refund_refused", f"Shopify refused the refund: {message}")
        if not isinstance(payload.get("refund"), dict):
            raise ShopError("malformed_response", "refundCreate answered without a refund")
        return self._refund(payload["refund"], raw)

    def _suggested(self, order_id: str, lines: list[Record]) -> Record:
        data = self._call("SuggestedRefund", _Q_SUGGESTED, {"id": order_id, "lines": lines})
        suggested = (data.get("order") or {}).get("suggestedRefund")
        if not isinstance(suggested, dict):
            raise ShopError("malformed_response", "Shopify gave no suggested refund")
        return suggested

    def _cancellable(self, raw: Record) -> bool:
        return raw.get("displayFulfillmentStatus") in _CANCELLABLE

    def _write_cancel(self, raw: Record, order: Order, key: str) -> Order:
        """orderCancel; Shopify keeps no key for it, so the base records the answer."""
        note = f"Cancelled at the customer's request through the assistant ({key})"
        data = self._call(
            "OrderCancel", _M_CANCEL, {"orderId": raw["id"], "staffNote": note}, write=True
        )
        payload = data.get("orderCancel") or {}
        errors = payload.get("orderCancelUserErrors") or []
        if errors:
            message = "; ".join(str(e.get("message")) for e in errors)
            raise Refused("cancel_refused", f"Shopify refused the cancellation: {message}")
        # orderCancel runs as a job: the order reads cancelled once it has run.
        return replace(order, status="cancelled", expected_delivery=None)


def _throttled(errors: Any) -> bool:
    if not isinstance(errors, list):
        return False
    return any(
        isinstance(e, dict) and (e.get("extensions") or {}).get("code") == "THROTTLED"
        for e in errors
    )
