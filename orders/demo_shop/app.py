"""HTTP layer of the demo shop: routes, input validation, and JSON for every answer.

Errors are JSON too (`{"error": "<code>", "message": "<human text>"}`), including unknown
routes and crashes, so a client maps failures by code and never has to read an HTML page.
The contract is written down in `orders/demo_shop/openapi.yaml`, served at GET /openapi.yaml.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeGuard

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.wrappers import Response as WerkzeugResponse

from orders.demo_shop.db import AlreadyRefunded, OrderDoc, Store
from orders.demo_shop.errors import ApiError
from orders.demo_shop.idempotency import idempotent
from orders.demo_shop.rules import refund_eligibility, refund_expected_by

logger = logging.getLogger(__name__)

OPENAPI_PATH = Path(__file__).with_name("openapi.yaml")
_ORDER_NUMBER = re.compile(r"[0-9]{5,12}")
_REFUND_REFERENCE = re.compile(r"RF-[A-Z0-9]{6}")
_MAX_REASON_CHARS = 500

shop_api = Blueprint("shop", __name__)


@dataclass(frozen=True)
class ShopContext:
    """What the routes depend on, injected by `create_app` rather than held in globals."""

    store: Store
    return_window_days: int


def _context() -> ShopContext:
    context: ShopContext = current_app.extensions["shop"]
    return context


def _store() -> Store:
    return _context().store


def _shown(raw: str) -> str:
    """The caller's input, quoted and cut short, for echoing in an error message."""
    return repr(raw if len(raw) <= 40 else raw[:40] + "...")


def _valid_order_number(raw: str) -> str:
    if not _ORDER_NUMBER.fullmatch(raw):
        raise ApiError(
            400, "invalid_order_number", f"Order numbers are 5 to 12 digits; got {_shown(raw)}."
        )
    return raw


def _existing_order(raw: str) -> OrderDoc:
    order_number = _valid_order_number(raw)
    order = _context().store.get_order(order_number)
    if order is None:
        raise ApiError(404, "order_not_found", f"There is no order {order_number}.")
    return order


def _refund_reason() -> str:
    body = request.get_json(silent=True)
    reason = body.get("reason") if isinstance(body, dict) else None
    if not isinstance(reason, str) or not 1 <= len(reason.strip()) <= _MAX_REASON_CHARS:
        raise ApiError(
            400,
            "invalid_body",
            f'Send a JSON object like {{"reason": "..."}} with a reason of 1 to'
            f" {_MAX_REASON_CHARS} characters.",
        )
    return reason.strip()


@shop_api.get("/health")
def health() -> Response:
    """Liveness probe for the tests, the Makefile and a load balancer."""
    return jsonify(status="ok")


@shop_api.get("/openapi.yaml")
def openapi() -> Response:
    """The API contract a real shop would implement."""
    return Response(OPENAPI_PATH.read_text(encoding="utf-8"), mimetype="application/yaml")


@shop_api.get("/orders")
def list_orders() -> Response:
    """Every order, or one customer's orders with ?email=.

    A blank email is refused rather than read as "no filter": a caller that lost the
    customer's email must not get every customer's orders back.
    """
    email = request.args.get("email")
    if email is not None and not email.strip():
        raise ApiError(400, "invalid_email", "The email filter is empty; omit it or give one.")
    return jsonify(orders=_context().store.list_orders(email))


# `path:` lets an order number containing "/" reach the validator (waitress decodes %2F
# before routing), so "../../etc/passwd" gets a clear 400 rather than a route-level 404.
@shop_api.get("/orders/<path:order_number>")
def get_order(order_number: str) -> Response:
    """One order with its shipping state and refund, if any."""
    return jsonify(_existing_order(order_number))


@shop_api.get("/orders/<path:order_number>/refund-eligibility")
def get_refund_eligibility(order_number: str) -> Response:
    """Whether the order can be refunded now, and why (see orders.demo_shop.rules)."""
    context = _context()
    order = _existing_order(order_number)
    return jsonify(refund_eligibility(order, date.today(), context.return_window_days))


@shop_api.post("/orders/<path:order_number>/refunds")
@idempotent(_store)
def create_refund(order_number: str) -> tuple[Response, int, dict[str, str]]:
    """Refund the order's total if the policy allows it; 409 with the policy's code if not."""
    context = _context()
    order_number = _valid_order_number(order_number)
    reason = _refund_reason()
    today = date.today()
    eligibility = refund_eligibility(
        _existing_order(order_number), today, context.return_window_days
    )
    if not eligibility["eligible"]:
        raise ApiError(409, eligibility["reason"], eligibility["message"])
    try:
        refund = context.store.add_refund(order_number, reason, today, refund_expected_by(today))
    except AlreadyRefunded:  # a concurrent request won the race
        raise ApiError(409, "already_refunded", "This order was already refunded.") from None
    return jsonify(refund), 201, {"Location": f"/refunds/{refund['reference']}"}


@shop_api.get("/refunds/<path:reference>")
def get_refund(reference: str) -> Response:
    """A refund's amount, status and promised arrival date."""
    if not _REFUND_REFERENCE.fullmatch(reference):
        raise ApiError(
            400,
            "invalid_refund_reference",
            f"Refund references look like RF-7K2M9Q; got {_shown(reference)}.",
        )
    refund = _context().store.get_refund(reference)
    if refund is None:
        raise ApiError(404, "refund_not_found", f"There is no refund {reference}.")
    return jsonify(refund)


@shop_api.post("/orders/<path:order_number>/cancel")
@idempotent(_store)
def cancel_order(order_number: str) -> Response:
    """Cancel an order that has not shipped; 409 once it has left the warehouse."""
    store = _context().store
    order = _existing_order(order_number)
    if not store.cancel_if_processing(order["order_number"]):
        current = _existing_order(order_number)  # re-read: the status may just have changed
        if current["status"] == "cancelled":
            raise ApiError(409, "already_cancelled", "This order is already cancelled.")
        raise ApiError(
            409,
            "already_shipped",
            f"This order can no longer be cancelled: its status is {current['status']}.",
        )
    return jsonify(_existing_order(order_number))


@shop_api.post("/customers/verify")
def verify_customer() -> Response:
    """Whether `email` is the email the order was placed with: one yes or no, nothing more.

    The answer is the same shape for an unknown order, an unknown email and another customer's
    email, and never names the owner, so it reveals neither who owns an order nor whether an
    email is a customer's. The assistant limits the tries per conversation.
    """
    body = request.get_json(silent=True)
    body = body if isinstance(body, dict) else {}
    order_number, email = body.get("order_number"), body.get("email")
    if not (_short_text(order_number) and _short_text(email)):
        raise ApiError(
            400,
            "invalid_body",
            'Send a JSON object like {"order_number": "10001", "email": "..."}.',
        )
    verified = bool(_ORDER_NUMBER.fullmatch(order_number)) and _store().owns(order_number, email)
    return jsonify(verified=verified)


def _short_text(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and 0 < len(value) <= 254


def _api_error(error: ApiError) -> Response:
    return error.response()


def _http_error(error: HTTPException) -> WerkzeugResponse:
    """Werkzeug's own errors (unknown route, wrong method, body too large) as JSON."""
    if isinstance(error, (NotFound, MethodNotAllowed)):
        message = f"{request.method} {request.path} is not part of this API; see /openapi.yaml."
    else:
        message = error.description or error.name
    response = error.get_response()  # keeps headers such as Allow on a 405
    code = error.name.lower().replace(" ", "_")
    response.set_data(json.dumps({"error": code, "message": message}, separators=(",", ":")))
    response.content_type = "application/json"
    return response


def _unexpected_error(error: Exception) -> tuple[Response, int]:
    logger.exception("unhandled error on %s %s", request.method, request.path)
    return jsonify(error="internal_error", message="The shop hit an unexpected error."), 500


def create_app(db_path: Path, return_window_days: int = 30) -> Flask:
    """Build the shop over an existing, seeded database file (see orders.demo_shop.seed)."""
    app = Flask(__name__, static_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = 16 * 1024
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep the documented field order
    # No redirects ("//" merging), since a redirect answer would be HTML, not JSON.
    app.url_map.merge_slashes = False
    app.extensions["shop"] = ShopContext(Store(db_path), return_window_days)
    app.register_blueprint(shop_api)
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
    return app
