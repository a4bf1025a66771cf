"""How actions use the order system: one adapter per process, called off the event loop.

The adapter is the one ORDER_SYSTEM names (demo, shopify, woocommerce; orders/systems.py).
rasa_sdk runs every action on one asyncio loop, so its blocking `requests` calls always go
through `call_shop`, which runs them in a worker thread; a slow shop then delays only the
conversation that waits for it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import TypeVar

from orders.client import Order, OrderSystem
from orders.systems import connect

T = TypeVar("T")


@lru_cache(maxsize=1)
def get_shop() -> OrderSystem:
    """The process's order system adapter, created on first use (never at import)."""
    return connect()


async def call_shop(method: Callable[..., T], *args: object) -> T:
    """Runs a blocking shop client method in a worker thread."""
    return await asyncio.to_thread(method, *args)


def normalize_order_number(value: object) -> str | None:
    """The order number in the shop's format, or None when `value` cannot be one.

    Customers write "#10023", "10023." or " 10023 "; anything with other characters
    (letters, quotes, slashes) is rejected before it reaches the shop. How many digits a
    number has is the order system's (Shopify's start at #1001), so the NLU regex can be
    looser: a wrong number is caught here and answered instead of being silently ignored.
    """
    if not isinstance(value, str):
        return None
    candidate = value.strip().lstrip("#").rstrip(".,!?")
    return candidate if get_shop().order_number.match(candidate) else None


def format_date(value: date | None) -> str:
    """A date as a customer reads it: 'Wed 25 Nov'."""
    return value.strftime("%a %d %b").replace(" 0", " ") if value else "unknown"


def order_facts(order: Order) -> dict[str, str]:
    """The order's fields as response templates use them ({carrier}, {expected_delivery}...)."""
    return {
        "order_number": order.order_number,
        "carrier": order.carrier or "the carrier",
        "tracking_number": order.tracking_number or "not yet available",
        "expected_delivery": format_date(order.expected_delivery),
        "delivered_at": format_date(order.delivered_at),
        "delay_reason": order.delay_reason or "a delay at the carrier",
        # Korean replies say the reason by its code (contract/delay_reasons.py), never the
        # shop's English; "" when the shop sent none.
        "delay_reason_code": order.delay_reason_code or "",
    }
