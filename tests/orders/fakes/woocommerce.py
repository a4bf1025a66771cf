"""A fake WooCommerce store: the REST API v3 routes orders/woocommerce.py calls.

Written from WooCommerce's documentation:
- https://developer.woocommerce.com/docs/apis/rest-api/ (wc/v3 under /wp-json/)
- https://developer.woocommerce.com/docs/apis/rest-api/authentication/ (consumer key and
  secret as HTTP Basic credentials over HTTPS)
- https://woocommerce.github.io/woocommerce-rest-api-docs/#orders (order properties: id,
  number, status, currency, total, billing.email, line_items, meta_data, refunds,
  date_created, date_paid, date_completed; GET /orders?search=&status=; PUT /orders/<id>)
- https://developer.woocommerce.com/docs/apis/rest-api/v3/order-refunds/ (GET and POST
  /orders/<id>/refunds: amount, reason, api_refund, api_restock, refunded_payment, meta_data)
- Errors: `{"code": ..., "message": ..., "data": {"status": ...}}`, e.g.
  woocommerce_rest_shop_order_invalid_id (404)
- The WooCommerce Shipment Tracking extension's order meta `_wc_shipment_tracking_items`
  (tracking_provider, tracking_number, date_shipped).

WooCommerce knows no delayed or lost parcels: the demo's delayed and lost orders are seeded as
processing orders with a tracking number, as such a store would hold them.
"""

from __future__ import annotations

import base64
import itertools
import threading
import time
from datetime import date, datetime
from typing import Any

from flask import Flask, jsonify, request

from orders.demo_shop.db import OrderDoc
from orders.demo_shop.seed import seed_orders
from tests.fakes.recorder import Call, RecordingApi

CONSUMER_KEY = "ck_fake_key"
CONSUMER_SECRET = "cs_fake_secret"
TRACKING_META = "_wc_shipment_tracking_items"


def _at(day: str | None) -> str | None:
    return f"{day}T10:00:00" if day else None


def _error(status: int, code: str, message: str) -> Any:
    return jsonify(code=code, message=message, data={"status": status}), status


class FakeWooCommerce(RecordingApi):
    """/wp-json/wc/v3/orders...; knobs: `stall_s`, `fail_status` (status, count)."""

    platform = "woocommerce"  # ORDER_SYSTEM for this fake

    def __init__(self, today: date | None = None) -> None:
        """Seeded with the demo orders, dated from `today`; order id = order number."""
        self.today = today or date.today()
        self.lock = threading.Lock()
        self.orders: dict[int, dict[str, Any]] = {}
        self.refunds: dict[int, list[dict[str, Any]]] = {}
        self.ids = itertools.count(50001)
        self.stall_s = 0.0
        self.fail_status: tuple[int, int] | None = None
        self.fail_only: str | None = None  # fail only this HTTP method
        for doc in seed_orders(self.today):
            self._seed(doc)
        app = Flask("fake_woocommerce")
        base = "/wp-json/wc/v3"
        app.add_url_rule(f"{base}/orders", "orders", self._list, methods=["GET"])
        app.add_url_rule(
            f"{base}/orders/<int:order_id>", "order", self._order, methods=["GET", "PUT"]
        )
        app.add_url_rule(
            f"{base}/orders/<int:order_id>/refunds",
            "refunds",
            self._refunds,
            methods=["GET", "POST"],
        )
        app.before_request(self._gate)
        super().__init__(app)

    def _seed(self, doc: OrderDoc) -> None:
        order_id = int(doc["order_number"])
        status = {"processing": "processing", "cancelled": "cancelled",
                  "delivered": "completed"}.get(doc["status"], "processing")  # fmt: skip
        meta: list[dict[str, Any]] = []
        if doc["tracking_number"]:
            shipped = datetime.fromisoformat(f"{doc['shipped_at']}T10:00:00").timestamp()
            meta.append({"id": next(self.ids), "key": TRACKING_META, "value": [{
                "tracking_provider": doc["carrier"], "custom_tracking_provider": "",
                "tracking_number": doc["tracking_number"], "custom_tracking_link": "",
                "date_shipped": str(int(shipped)), "tracking_id": "t1"}]})  # fmt: skip
        name = doc["customer_name"].split(" ", 1)
        self.orders[order_id] = {
            "id": order_id,
            "number": doc["order_number"],
            "status": status,
            "currency": doc["currency"],
            "total": f"{doc['total']:.2f}",
            "date_created": _at(doc["ordered_at"]),
            "date_paid": _at(doc["ordered_at"]) if doc["status"] != "cancelled" else None,
            "date_completed": _at(doc["delivered_at"]),
            "billing": {"first_name": name[0], "last_name": name[-1],
                        "email": doc["customer_email"]},
            "line_items": [{"id": i + 1, "name": item["name"], "quantity": item["quantity"]}
                           for i, item in enumerate(doc["items"])],
            "meta_data": meta,
            "refunds": [],
        }  # fmt: skip
        self.refunds[order_id] = []
        if doc["refund"] is not None:
            refund = doc["refund"]
            self._add_refund(order_id, {
                "amount": f"{refund['amount']:.2f}", "reason": refund["reason"],
                "date_created": _at(refund["created_at"]), "refunded_payment": True,
                "meta_data": []})  # fmt: skip

    def _add_refund(self, order_id: int, refund: dict[str, Any]) -> dict[str, Any]:
        refund = {"id": next(self.ids), "refunded_by": 1, "line_items": [], **refund}
        self.refunds[order_id].append(refund)
        order = self.orders[order_id]
        order["refunds"].append(
            {"id": refund["id"], "reason": refund["reason"], "total": f"-{refund['amount']}"}
        )
        if self._refundable(order_id) <= 0:  # WooCommerce marks a fully refunded order
            order["status"] = "refunded"
        return refund

    def _refundable(self, order_id: int) -> float:
        order = self.orders[order_id]
        paid = float(order["total"])
        return round(paid - sum(float(r["amount"]) for r in self.refunds[order_id]), 2)

    # --- the API -----------------------------------------------------------------------

    def _gate(self) -> Any:
        if self.stall_s:
            time.sleep(self.stall_s)
        expected = base64.b64encode(f"{CONSUMER_KEY}:{CONSUMER_SECRET}".encode()).decode()
        if request.headers.get("Authorization") != f"Basic {expected}":
            return _error(401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.")
        params = {**request.args.to_dict(), **(request.get_json(silent=True) or {})}
        self.record(Call(f"{request.method} {request.path}", params, dict(request.headers)))
        with self.lock:
            if self.fail_status is not None and self.fail_only in (None, request.method):
                status, left = self.fail_status
                self.fail_status = (status, left - 1) if left > 1 else None
                return _error(status, "internal_server_error", "Something went wrong.")
        return None

    def _list(self) -> Any:
        search = request.args.get("search", "").lower()
        status = request.args.get("status")
        found = []
        with self.lock:
            for order in self.orders.values():
                if status and order["status"] != status:
                    continue
                haystack = f"{order['number']} {order['billing']['email']}".lower()
                if search and search not in haystack:
                    continue
                found.append(order)
        return jsonify(found[: int(request.args.get("per_page", 10))])

    def _order(self, order_id: int) -> Any:
        with self.lock:
            order = self.orders.get(order_id)
            if order is None:
                return _error(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
            if request.method == "PUT":
                body = request.get_json(silent=True) or {}
                if "status" in body:
                    order["status"] = body["status"]
                for entry in body.get("meta_data") or []:
                    order["meta_data"] = [m for m in order["meta_data"] if m["key"] != entry["key"]]
                    order["meta_data"].append({"id": next(self.ids), **entry})
            return jsonify(order)

    def _refunds(self, order_id: int) -> Any:
        with self.lock:
            if order_id not in self.orders:
                return _error(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
            if request.method == "GET":
                return jsonify(self.refunds[order_id])
            body = request.get_json(silent=True) or {}
            amount = float(body.get("amount") or 0)
            if amount <= 0 or amount > self._refundable(order_id):
                return _error(
                    400, "woocommerce_rest_cannot_create_order_refund", "Invalid refund amount."
                )
            refund = self._add_refund(order_id, {
                "amount": f"{amount:.2f}", "reason": body.get("reason", ""),
                "date_created": f"{self.today.isoformat()}T12:00:00",
                "refunded_payment": bool(body.get("api_refund", True)),
                "meta_data": [{"id": next(self.ids), **m} for m in body.get("meta_data") or []],
            })  # fmt: skip
            return jsonify(refund), 201

    def refund_requests(self) -> list[tuple[str, str]]:
        """(reason, idempotency key kept in the refund's meta) of every refund POSTed."""
        made = self.matching(
            lambda call: call.method.startswith("POST ") and call.method.endswith("/refunds")
        )
        return [(call.params["reason"], call.params["meta_data"][0]["value"]) for call in made]
