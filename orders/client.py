"""The one interface through which the assistant reaches the order system, and its demo adapter.

`OrderSystem` is what actions (and the agent desk) call; `orders.systems.connect` picks the
adapter named by ORDER_SYSTEM: `ShopClient` here for the demo shop (or any shop serving
orders/demo_shop/openapi.yaml), `orders.shopify.ShopifyOrders`, `orders.woocommerce.WooOrders`.
Every adapter keeps timeouts, retries, URL building and error mapping to itself so actions
call typed methods and handle four outcomes: a value, `NotFound`, `Refused` (with a code from
the demo shop's contract) or `ShopUnavailable`.

The demo adapter (`ShopClient`): only GETs are retried on 502/503/504, timeouts and dropped
connections; a POST is retried only when the connection could not be opened, i.e. before
anything was sent, so a refund is never sent twice. A POST whose answer was lost raises
`ShopUnavailable` even though the shop may have acted on it. The writes (refund, cancel)
carry an idempotency key chosen by the caller: asking again with the same key gets the first
answer back (the same refund), never a second write. `verify_owner` is a POST only to keep
the email out of URLs and logs; it changes nothing.

The client is blocking by design (requests). rasa_sdk runs every action on one event loop, so
async actions must call it off the loop: `await asyncio.to_thread(client.get_order, number)`.
One client can be shared by those worker threads: it keeps no per-call state, and the
connection pool it uses is thread-safe.
"""

from __future__ import annotations

import re
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar
from urllib.parse import quote

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from settings.env import Env

T = TypeVar("T")
S = TypeVar("S", bound="OrderSystem")

IDEMPOTENCY_HEADER = "Idempotency-Key"


class ShopError(Exception):
    """Any failure talking to the shop; `code` is machine-readable, the message loggable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class ShopUnavailable(ShopError):
    """The shop did not answer usefully: refused, timed out, or 5xx after the retries."""


class NotFound(ShopError):
    """404: no such order or refund (`order_not_found`, `refund_not_found`)."""


class Refused(ShopError):
    """400/409: the shop understood and said no; `code` says why (e.g. `already_refunded`)."""


@dataclass(frozen=True)
class Item:
    """One line of an order."""

    name: str
    quantity: int


@dataclass(frozen=True)
class Refund:
    """A refund; `status` is "pending" or "paid" ("failed" from a platform whose payment
    provider refused it), the money arrives by `expected_by`."""

    reference: str
    order_number: str
    amount: float
    currency: str
    reason: str
    status: str
    created_at: date
    expected_by: date


@dataclass(frozen=True)
class Order:
    """An order; `status` is processing, in_transit, delayed, delivered, lost or cancelled."""

    order_number: str
    customer_email: str
    customer_name: str
    status: str
    items: tuple[Item, ...]
    total: float
    currency: str
    ordered_at: date
    shipped_at: date | None
    delivered_at: date | None
    expected_delivery: date | None
    original_expected_delivery: date | None
    delay_reason: str | None
    carrier: str | None
    tracking_number: str | None
    refund: Refund | None
    # The carrier's tracking page, where the platform knows it (Shopify); never from the demo.
    tracking_url: str | None = None
    # The reason as a code (config/delay_reasons.yml), for replies in other languages than the
    # shop's; optional in the contract, so a shop that sends only `delay_reason` still works.
    delay_reason_code: str | None = None


@dataclass(frozen=True)
class Eligibility:
    """The refund policy's answer; `reason` is a code such as `outside_return_window`."""

    eligible: bool
    reason: str
    message: str


def _date(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _refund(doc: dict[str, Any]) -> Refund:
    return Refund(
        reference=doc["reference"],
        order_number=doc["order_number"],
        amount=float(doc["amount"]),
        currency=doc["currency"],
        reason=doc["reason"],
        status=doc["status"],
        created_at=date.fromisoformat(doc["created_at"]),
        expected_by=date.fromisoformat(doc["expected_by"]),
    )


def _order(doc: dict[str, Any]) -> Order:
    return Order(
        order_number=doc["order_number"],
        customer_email=doc["customer_email"],
        customer_name=doc["customer_name"],
        status=doc["status"],
        items=tuple(Item(name=i["name"], quantity=int(i["quantity"])) for i in doc["items"]),
        total=float(doc["total"]),
        currency=doc["currency"],
        ordered_at=date.fromisoformat(doc["ordered_at"]),
        shipped_at=_date(doc["shipped_at"]),
        delivered_at=_date(doc["delivered_at"]),
        expected_delivery=_date(doc["expected_delivery"]),
        original_expected_delivery=_date(doc["original_expected_delivery"]),
        delay_reason=doc["delay_reason"],
        carrier=doc["carrier"],
        tracking_number=doc["tracking_number"],
        refund=_refund(doc["refund"]) if doc["refund"] is not None else None,
        delay_reason_code=doc.get("delay_reason_code"),
    )


def _orders(doc: dict[str, Any]) -> list[Order]:
    return [_order(order) for order in doc["orders"]]


def _eligibility(doc: dict[str, Any]) -> Eligibility:
    return Eligibility(eligible=bool(doc["eligible"]), reason=doc["reason"], message=doc["message"])


def _parsed(parse: Callable[[dict[str, Any]], T], doc: dict[str, Any]) -> T:
    """Parse a response body, turning a missing or mistyped field into a ShopError."""
    try:
        return parse(doc)
    except (KeyError, TypeError, ValueError) as exc:
        raise ShopError("malformed_response", f"shop response did not parse: {exc!r}") from exc


def json_object(response: requests.Response, what: str) -> dict[str, Any]:
    """The response's JSON object; a body that is not one is `malformed_response`, since no
    order system answers a call with anything else (`what` names the call in the message)."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise ShopError("malformed_response", f"{what} without a JSON object")
    return body


def _segment(value: str, code: str) -> str:
    """Quote one URL path segment.

    "", "." and ".." cannot travel as a segment (they vanish or climb the path), so they are
    refused here with the code the shop would use for any other malformed identifier.
    """
    if value in ("", ".", ".."):
        raise Refused(code, f"{value!r} is not a valid identifier.")
    return quote(value, safe="")


class OrderSystem(ABC):
    """What the assistant may ask of an order system; every adapter answers the same way.

    Methods block (they do network I/O with timeouts); actions call them off the event loop
    (actions/shop_access.py). Errors are ShopError subclasses with the demo shop's codes, so a
    refusal reads the same whichever platform stands behind it. One instance is shared by
    worker threads: adapters keep no per-call state outside thread-safe structures.

    `order_number` is the shape of the numbers its customers know, without the "#" they may
    write before it: the demo shop's five or more digits unless a platform says otherwise.
    """

    order_number: re.Pattern[str] = re.compile(r"^[0-9]{5,12}$")

    @abstractmethod
    def health(self) -> bool:
        """True when the order system answers."""

    @abstractmethod
    def list_orders(self, email: str | None = None) -> list[Order]:
        """One customer's orders (or every order, where the platform allows it)."""

    @abstractmethod
    def get_order(self, order_number: str) -> Order:
        """One order by the number the customer knows; NotFound if there is none."""

    @abstractmethod
    def refund_eligibility(self, order_number: str) -> Eligibility:
        """Whether the order can be refunded now, and why."""

    @abstractmethod
    def create_refund(
        self, order_number: str, reason: str, idempotency_key: str | None = None
    ) -> Refund:
        """Refund the order; the same key again gets the first refund back, never a second."""

    @abstractmethod
    def get_refund(self, reference: str) -> Refund:
        """A refund by the reference the assistant gave (RF-XXXXXX)."""

    @abstractmethod
    def cancel_order(self, order_number: str, idempotency_key: str | None = None) -> Order:
        """Cancel an order that has not shipped; Refused already_shipped / already_cancelled."""

    @abstractmethod
    def verify_owner(self, order_number: str, email: str) -> bool:
        """True when `email` is the order's (case-insensitive); the same False otherwise."""

    @abstractmethod
    def close(self) -> None:
        """Release pooled connections."""

    def __enter__(self: S) -> S:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class ShopClient(OrderSystem):
    """The demo adapter: typed, blocking access to a shop serving orders/demo_shop/openapi.yaml.

    `timeout_s` bounds the connect and each read of every attempt; `retries` is the number of
    extra attempts allowed (see the module docstring for which calls may use them), so a GET
    to a silent shop gives up after about (retries + 1) * timeout_s.
    """

    def __init__(self, base_url: str, timeout_s: float = 3.0, retries: int = 2) -> None:
        self._base_url = base_url.rstrip("/")
        self._timeout_s = timeout_s
        retry = Retry(
            total=retries,
            allowed_methods=frozenset({"GET"}),
            status_forcelist=(502, 503, 504),
            backoff_factor=0.2,
            raise_on_status=False,  # hand back the last 5xx; _send maps it
            respect_retry_after_header=False,  # a long Retry-After would stall the action
        )
        self._session = requests.Session()
        self._session.headers.update({"Accept": "application/json"})
        adapter = HTTPAdapter(max_retries=retry)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)

    @classmethod
    def from_environment(cls, env: Env | None = None) -> ShopClient:
        """A client configured by SHOP_URL, SHOP_TIMEOUT (2 s) and SHOP_RETRIES (1)."""
        env = env or Env()
        return cls(
            env.url("SHOP_URL", "SHOP_PORT"),
            env.number("SHOP_TIMEOUT", 2.0),
            env.integer("SHOP_RETRIES", 1),
        )

    def close(self) -> None:
        """Release pooled connections."""
        self._session.close()

    def _send(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """Make one call (with the adapter's retries) and return its JSON, or raise."""
        try:
            response = self._session.request(
                method,
                self._base_url + path,
                timeout=self._timeout_s,
                allow_redirects=False,  # the API never redirects; following would hide a bad URL
                **kwargs,
            )
        except requests.RequestException as exc:
            raise ShopUnavailable(
                "shop_unavailable",
                f"shop at {self._base_url} did not answer {method} {path}: {type(exc).__name__}",
            ) from exc
        if response.status_code >= 500:
            raise ShopUnavailable(
                "shop_unavailable",
                f"shop at {self._base_url} answered {response.status_code} to {method} {path}",
            )
        body = json_object(response, f"shop answered {response.status_code} to {method} {path}")
        if response.ok:
            return body
        code = str(body.get("error", "unknown_error"))
        message = str(body.get("message", f"shop answered {response.status_code}"))
        if response.status_code == 404:
            raise NotFound(code, message)
        if response.status_code in (400, 409):
            raise Refused(code, message)
        raise ShopError(code, message)

    def health(self) -> bool:
        """True when the shop answers its health check."""
        try:
            return self._send("GET", "/health").get("status") == "ok"
        except ShopError:
            return False

    def list_orders(self, email: str | None = None) -> list[Order]:
        """Every order, or one customer's orders (email compared case-insensitively).

        A blank email is Refused (`invalid_email`) rather than read as "every customer".
        """
        params = {"email": email} if email is not None else None
        return _parsed(_orders, self._send("GET", "/orders", params=params))

    def get_order(self, order_number: str) -> Order:
        """One order; NotFound if there is none, Refused if the number is malformed."""
        path = f"/orders/{_segment(order_number, 'invalid_order_number')}"
        return _parsed(_order, self._send("GET", path))

    def refund_eligibility(self, order_number: str) -> Eligibility:
        """Whether the order can be refunded now, and why."""
        path = f"/orders/{_segment(order_number, 'invalid_order_number')}/refund-eligibility"
        return _parsed(_eligibility, self._send("GET", path))

    def create_refund(
        self, order_number: str, reason: str, idempotency_key: str | None = None
    ) -> Refund:
        """Refund the order; Refused with the eligibility code (e.g. already_refunded) if not.

        The same `idempotency_key` again returns the refund the first call created; without
        one, the call gets a key of its own (so it is never merged with another).
        """
        path = f"/orders/{_segment(order_number, 'invalid_order_number')}/refunds"
        headers = {IDEMPOTENCY_HEADER: idempotency_key or uuid.uuid4().hex}
        return _parsed(_refund, self._send("POST", path, json={"reason": reason}, headers=headers))

    def get_refund(self, reference: str) -> Refund:
        """A refund by its reference (RF-XXXXXX)."""
        path = f"/refunds/{_segment(reference, 'invalid_refund_reference')}"
        return _parsed(_refund, self._send("GET", path))

    def cancel_order(self, order_number: str, idempotency_key: str | None = None) -> Order:
        """Cancel an unshipped order; Refused with already_shipped / already_cancelled if not.

        The same `idempotency_key` again returns the first answer (the cancelled order).
        """
        path = f"/orders/{_segment(order_number, 'invalid_order_number')}/cancel"
        headers = {IDEMPOTENCY_HEADER: idempotency_key or uuid.uuid4().hex}
        return _parsed(_order, self._send("POST", path, headers=headers))

    def verify_owner(self, order_number: str, email: str) -> bool:
        """True when `email` is the one the order was placed with (case-insensitive).

        The shop answers the same way for an unknown order or email, so this tells nothing
        else; the caller limits the tries.
        """
        body = {"order_number": order_number, "email": email}
        return bool(self._send("POST", "/customers/verify", json=body).get("verified") is True)
