"""A fake Shopify store: the GraphQL Admin API operations orders/shopify.py sends.

Written from Shopify's documentation:
- https://shopify.dev/docs/api/admin-graphql (endpoint /admin/api/<version>/graphql.json,
  X-Shopify-Access-Token header)
- https://shopify.dev/docs/api/admin-graphql/latest/objects/Order (name, email, cancelledAt,
  displayFulfillmentStatus, lineItems, fulfillments, refunds, suggestedRefund)
- https://shopify.dev/docs/api/admin-graphql/latest/enums/OrderDisplayFulfillmentStatus
- https://shopify.dev/docs/api/admin-graphql/2024-10/objects/Fulfillment (displayStatus,
  deliveredAt, estimatedDeliveryAt, trackingInfo { company number url }, events)
- https://shopify.dev/docs/api/admin-graphql/latest/objects/SuggestedRefund
- https://shopify.dev/docs/api/admin-graphql/latest/mutations/refundCreate and
  https://shopify.dev/changelog/adding-idempotency-for-inventory-adjustments-and-refund-mutations
  (`@idempotent(key:)`: a repeat returns the first refund)
- https://shopify.dev/docs/api/admin-graphql/latest/mutations/orderCancel (job,
  orderCancelUserErrors)
- https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits (extensions.cost,
  throttleStatus, THROTTLED errors)

It does not parse GraphQL: operations are told apart by `operationName`, as the adapter names
every operation, and answer with the fields the adapter selects.
"""

from __future__ import annotations

import itertools
import re
import threading
import time
from datetime import date
from typing import Any

from flask import Flask, jsonify, request

from orders.demo_shop.db import OrderDoc
from orders.demo_shop.seed import seed_orders
from tests.fakes.recorder import Call, RecordingApi

API_VERSION = "2026-01"
TOKEN = "shpat_fake_token"
NAME_PREFIX = "#"
GATEWAY = "shopify_payments"
_SEARCH_TERM = re.compile(r'(\w+):"((?:[^"\\]|\\.)*)"')


def _at(day: str | None) -> str | None:
    return f"{day}T10:00:00Z" if day else None


def _money(amount: float, currency: str) -> dict[str, Any]:
    return {"shopMoney": {"amount": f"{amount:.2f}", "currencyCode": currency}}


def _fulfillment(doc: OrderDoc) -> dict[str, Any]:
    status = doc["status"]
    shown = {"delivered": "DELIVERED", "lost": "FAILURE"}.get(status, "IN_TRANSIT")
    events = [
        {
            "status": "IN_TRANSIT",
            "happenedAt": _at(doc["shipped_at"]),
            "estimatedDeliveryAt": _at(
                doc["original_expected_delivery"] or doc["expected_delivery"]
            ),
            "message": None,
        }
    ]
    if status == "delayed":
        events.insert(
            0,
            {
                "status": "DELAYED",
                "happenedAt": _at(doc["original_expected_delivery"]),
                "estimatedDeliveryAt": _at(doc["expected_delivery"]),
                "message": doc["delay_reason"],
            },
        )
    if status == "lost":
        events.insert(
            0,
            {
                "status": "FAILURE",
                "happenedAt": _at(doc["original_expected_delivery"]),
                "estimatedDeliveryAt": None,
                "message": "Parcel lost",
            },
        )
    if status == "delivered":
        events.insert(
            0,
            {
                "status": "DELIVERED",
                "happenedAt": _at(doc["delivered_at"]),
                "estimatedDeliveryAt": None,
                "message": None,
            },
        )
    carrier, number = doc["carrier"], doc["tracking_number"]
    return {
        "status": "SUCCESS",
        "displayStatus": shown,
        "createdAt": _at(doc["shipped_at"]),
        "inTransitAt": _at(doc["shipped_at"]),
        "deliveredAt": _at(doc["delivered_at"]),
        "estimatedDeliveryAt": _at(doc["expected_delivery"]),
        "trackingInfo": [{"company": carrier, "number": number,
                          "url": f"https://track.example/{carrier}/{number}"}],
        "events": {"nodes": events},
    }  # fmt: skip


class FakeShopify(RecordingApi):
    """POST /admin/api/<version>/graphql.json; knobs: `stall_s`, `fail_status`, `throttle`."""

    platform = "shopify"  # ORDER_SYSTEM for this fake

    def __init__(self, today: date | None = None) -> None:
        """Seeded with the demo orders, dated from `today`."""
        self.today = today or date.today()
        self.lock = threading.Lock()
        self.orders: dict[str, dict[str, Any]] = {}
        self.idempotent: dict[str, dict[str, Any]] = {}
        self.ids = itertools.count(900001)
        # Test knobs: seconds to wait before answering; a status for the next N answers;
        # THROTTLED answers for the next N requests, with the bucket that many points short.
        self.stall_s = 0.0
        self.fail_status: tuple[int, int] | None = None
        self.throttle = 0
        self.throttle_available = 10.0
        self.fail_only: str | None = None  # fail only this operation
        self.throttle_only: str | None = None  # throttle only this operation
        self.cancel_error: str | None = None  # an orderCancel refusal, e.g. pending payment
        for doc in seed_orders(self.today):
            self._seed(doc)
        app = Flask("fake_shopify")
        app.add_url_rule(
            "/admin/api/<version>/graphql.json", "graphql", self._graphql, methods=["POST"]
        )
        super().__init__(app)

    def _seed(self, doc: OrderDoc) -> None:
        number = doc["order_number"]
        gid = f"gid://shopify/Order/{number}"
        shipped = doc["status"] not in ("processing", "cancelled")
        refunds = []
        if doc["refund"] is not None:
            refund = doc["refund"]
            refunds.append({
                "id": f"gid://shopify/Refund/{next(self.ids)}",
                "createdAt": _at(refund["created_at"]),
                "note": refund["reason"],
                "totalRefundedSet": _money(refund["amount"], refund["currency"]),
                "transactions": {"nodes": [{"kind": "REFUND", "status": "SUCCESS"}]},
            })  # fmt: skip
        self.orders[gid] = {
            "id": gid,
            "name": NAME_PREFIX + number,
            "email": doc["customer_email"],
            "createdAt": _at(doc["ordered_at"]),
            "cancelledAt": _at(doc["ordered_at"]) if doc["status"] == "cancelled" else None,
            "displayFulfillmentStatus": "FULFILLED" if shipped else "UNFULFILLED",
            "billingAddress": {"name": doc["customer_name"]},
            "totalPriceSet": _money(doc["total"], doc["currency"]),
            "lineItems": {"nodes": [
                {"id": f"gid://shopify/LineItem/{number}{i}", "title": item["name"],
                 "quantity": item["quantity"], "currentQuantity": item["quantity"]}
                for i, item in enumerate(doc["items"])
            ]},
            "fulfillments": [_fulfillment(doc)] if shipped else [],
            "refunds": refunds,
            "_sale": f"gid://shopify/OrderTransaction/{number}1",
            "_total": doc["total"],
            "_currency": doc["currency"],
        }  # fmt: skip

    # --- the API -----------------------------------------------------------------------

    def _cost(self, requested: float = 52.0, available: float = 1948.0) -> dict[str, Any]:
        return {"cost": {"requestedQueryCost": requested, "actualQueryCost": 12,
                         "throttleStatus": {"maximumAvailable": 2000.0,
                                            "currentlyAvailable": available,
                                            "restoreRate": 100.0}}}  # fmt: skip

    def _graphql(self, version: str) -> Any:
        if self.stall_s:
            time.sleep(self.stall_s)
        if request.headers.get("X-Shopify-Access-Token") != TOKEN:
            return jsonify(errors="[API] Invalid API key or access token (unrecognized login or"
                           " wrong password)"), 401  # fmt: skip
        if version != API_VERSION:
            return jsonify(errors="Not Found"), 404
        body = request.get_json(silent=True) or {}
        operation = str(body.get("operationName") or "")
        variables = body.get("variables") or {}
        self.record(Call(operation, variables, dict(request.headers)))
        with self.lock:
            if self.fail_status is not None and self.fail_only in (None, operation):
                status, left = self.fail_status
                self.fail_status = (status, left - 1) if left > 1 else None
                return jsonify(errors="Internal error"), status
            if self.throttle > 0 and self.throttle_only in (None, operation):
                self.throttle -= 1
                cost = self._cost(requested=52.0, available=52.0 - self.throttle_available)
                cost["cost"]["actualQueryCost"] = None
                throttled = {
                    "message": "Throttled",
                    "extensions": {
                        "code": "THROTTLED",
                        "documentation": "https://shopify.dev/api/usage/rate-limits",
                    },
                }
                return jsonify(errors=[throttled], extensions=cost)  # fmt: skip
            handler = {
                "ShopHealth": lambda v, q: {"shop": {"name": "Fake store"}},
                "FindOrders": self._find_orders,
                "SuggestedRefund": self._suggested_refund,
                "RefundCreate": self._refund_create,
                "OrderCancel": self._order_cancel,
            }.get(operation)
            if handler is None:
                error = {"message": f"Unknown operation {operation!r}",
                         "extensions": {"code": "undefinedField"}}  # fmt: skip
                return jsonify(errors=[error])
            return jsonify(data=handler(variables, str(body.get("query") or "")),
                           extensions=self._cost())  # fmt: skip

    @staticmethod
    def _public(order: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in order.items() if not k.startswith("_")}

    def _find_orders(self, variables: dict[str, Any], _query: str) -> dict[str, Any]:
        query = str(variables.get("query") or "")
        terms = {k: v.replace('\\"', '"').replace("\\\\", "\\") for k, v in
                 _SEARCH_TERM.findall(query)}  # fmt: skip
        found = []
        for order in self.orders.values():
            if "name" in terms and order["name"] != terms["name"]:
                continue
            if "email" in terms and order["email"].lower() != terms["email"].lower():
                continue
            if "financial_status:refunded" in query and not order["refunds"]:
                continue
            found.append(self._public(order))
        return {"orders": {"nodes": found[: int(variables.get("first") or 50)]}}

    def _refundable(self, order: dict[str, Any]) -> float:
        refunded = sum(
            float(r["totalRefundedSet"]["shopMoney"]["amount"]) for r in order["refunds"]
        )
        return round(order["_total"] - refunded, 2)

    def _suggested_refund(self, variables: dict[str, Any], _query: str) -> dict[str, Any]:
        order = self.orders.get(str(variables.get("id")))
        if order is None:
            return {"order": None}
        amount = self._refundable(order)
        lines = variables.get("lines") or []
        return {"order": {"suggestedRefund": {
            "amountSet": _money(amount, order["_currency"]),
            "refundLineItems": [{"lineItem": {"id": line["lineItemId"]},
                                 "quantity": line["quantity"]} for line in lines],
            "suggestedTransactions": [{
                "gateway": GATEWAY, "kind": "SUGGESTED_REFUND",
                "parentTransaction": {"id": order["_sale"]},
                "amountSet": _money(amount, order["_currency"]),
            }] if amount > 0 else [],
        }}}  # fmt: skip

    def _refund_create(self, variables: dict[str, Any], query: str) -> dict[str, Any]:
        key = str(variables.get("key") or "")
        if "@idempotent(key: $key)" not in query or not key:
            raise AssertionError("refundCreate must carry the @idempotent directive (2026-04+)")
        if key in self.idempotent:
            return self.idempotent[key]
        refund_input = variables.get("input") or {}
        order = self.orders.get(str(refund_input.get("orderId")))
        if order is None:
            answer = {"refundCreate": {"refund": None, "userErrors": [
                {"field": ["orderId"], "message": "Order does not exist"}]}}  # fmt: skip
            return answer
        amount = round(sum(float(t["amount"]) for t in refund_input.get("transactions") or []), 2)
        if amount <= 0 or amount > self._refundable(order):
            return {"refundCreate": {"refund": None, "userErrors": [
                {"field": ["transactions"], "message": "Amount cannot exceed the refundable"
                 " amount"}]}}  # fmt: skip
        refund = {
            "id": f"gid://shopify/Refund/{next(self.ids)}",
            "createdAt": f"{self.today.isoformat()}T12:00:00Z",
            "note": refund_input.get("note"),
            "totalRefundedSet": _money(amount, order["_currency"]),
            "transactions": {"nodes": [{"kind": "REFUND", "status": "PENDING"}]},
        }
        order["refunds"].append(refund)
        answer = {"refundCreate": {"refund": refund, "userErrors": []}}
        self.idempotent[key] = answer
        return answer

    def _order_cancel(self, variables: dict[str, Any], _query: str) -> dict[str, Any]:
        order = self.orders.get(str(variables.get("orderId")))
        errors: list[dict[str, Any]] = []
        if order is None:
            errors.append({"field": ["orderId"], "message": "Order not found", "code": "NOT_FOUND"})
        elif order["cancelledAt"]:
            errors.append({"field": ["orderId"], "message": "Order has already been cancelled",
                           "code": "INVALID"})  # fmt: skip
        elif self.cancel_error:
            errors.append({"field": ["orderId"], "message": self.cancel_error, "code": "INVALID"})
        elif order["fulfillments"]:
            errors.append({"field": ["orderId"], "message": "Cannot cancel a fulfilled order",
                           "code": "INVALID"})  # fmt: skip
        if errors:
            return {"orderCancel": {"job": None, "orderCancelUserErrors": errors}}
        assert order is not None
        order["cancelledAt"] = f"{self.today.isoformat()}T12:00:00Z"
        if self._refundable(order) > 0:  # refundMethod: original payment methods
            order["refunds"].append({
                "id": f"gid://shopify/Refund/{next(self.ids)}",
                "createdAt": f"{self.today.isoformat()}T12:00:00Z",
                "note": "Order cancelled",
                "totalRefundedSet": _money(self._refundable(order), order["_currency"]),
                "transactions": {"nodes": [{"kind": "REFUND", "status": "PENDING"}]},
            })  # fmt: skip
        job = {"id": f"gid://shopify/Job/{next(self.ids)}", "done": False}
        return {"orderCancel": {"job": job, "orderCancelUserErrors": []}}

    def add_order(self, doc: OrderDoc) -> None:
        """One more order, e.g. with a short number as a new store's #1001."""
        with self.lock:
            self._seed(doc)

    def store_url(self) -> str:
        """What SHOPIFY_STORE_URL is set to."""
        return self.url

    def refund_requests(self) -> list[tuple[str, str]]:
        """(note, idempotency key) of every refundCreate received, in order."""
        made = self.matching(lambda call: call.method == "RefundCreate")
        return [(call.params["input"]["note"], call.params["key"]) for call in made]
