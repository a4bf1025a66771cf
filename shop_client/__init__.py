"""The order-system client: the only code that talks to the shop (contract: shop/openapi.yaml).

Used by the action server (through `actions/shop_access.py`, which runs it off the event loop)
and by the agent desk (order facts beside a conversation).
"""

from shop_client.client import (
    Eligibility,
    Item,
    NotFound,
    Order,
    Refund,
    Refused,
    ShopClient,
    ShopError,
    ShopUnavailable,
)

__all__ = [
    "Eligibility",
    "Item",
    "NotFound",
    "Order",
    "Refund",
    "Refused",
    "ShopClient",
    "ShopError",
    "ShopUnavailable",
]
