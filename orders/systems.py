"""The order system the assistant talks to, chosen by ORDER_SYSTEM (demo, shopify, woocommerce).

Read once where a process starts its client (actions/shop_access.py, the agent desk); each
adapter reads its own settings and secrets and stops start-up with a message naming a missing
one (README: Connect your shop).
"""

from __future__ import annotations

from orders.client import OrderSystem, ShopClient
from settings.env import Env

SYSTEMS = ("demo", "shopify", "woocommerce")


def order_system_name(env: Env | None = None) -> str:
    """ORDER_SYSTEM, default demo."""
    return (env or Env()).choice("ORDER_SYSTEM", "demo", SYSTEMS)


def connect(env: Env | None = None) -> OrderSystem:
    """The adapter ORDER_SYSTEM names, configured from the environment (no network call)."""
    env = env or Env()
    name = order_system_name(env)
    if name == "shopify":
        from orders.shopify import ShopifyOrders

        return ShopifyOrders.from_environment(env)
    if name == "woocommerce":
        from orders.woocommerce import WooOrders

        return WooOrders.from_environment(env)
    return ShopClient.from_environment(env)
