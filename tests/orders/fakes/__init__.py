"""Local fakes of the store platforms' APIs, for the order-system adapters' tests.

Each is written from the platform's published documentation (pages cited in each module) and
implements only the requests and answers the adapter uses, seeded with the demo shop's twelve
orders (orders/demo_shop/seed.py) so one behaviour suite runs against every platform. Each
records the calls it receives and can be told to stall, fail or throttle.

Here too what every test of a platform needs, whether it calls the adapter (tests/orders) or
talks to the whole running system (tests/e2e): a running fake, and the environment that
points ORDER_SYSTEM at it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from tests.orders.fakes import shopify as fake_shopify
from tests.orders.fakes import woocommerce as fake_woo
from tests.orders.fakes.shopify import FakeShopify
from tests.orders.fakes.woocommerce import FakeWooCommerce

STORE_PLATFORMS = ("shopify", "woocommerce")
FakeStore = FakeShopify | FakeWooCommerce


@contextmanager
def running_fake(platform: str) -> Iterator[FakeStore]:
    """The fake of `platform` (one of STORE_PLATFORMS), freshly seeded and serving."""
    fake: FakeStore = FakeShopify() if platform == "shopify" else FakeWooCommerce()
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()


def platform_env(name: str, url: str, timeout: float = 10, retries: int = 1) -> dict[str, str]:
    """The environment that points ORDER_SYSTEM=`name` at `url` (README: Connect your shop),
    the fakes' credentials included."""
    common = {"ORDER_SYSTEM": name, "SHOP_TIMEOUT": str(timeout), "SHOP_RETRIES": str(retries)}
    if name == "shopify":
        return common | {
            "SHOPIFY_STORE_URL": url,
            "SHOPIFY_ACCESS_TOKEN": fake_shopify.TOKEN,
            "SHOPIFY_API_VERSION": fake_shopify.API_VERSION,
        }
    if name == "woocommerce":
        return common | {
            "WOOCOMMERCE_URL": url,
            "WOOCOMMERCE_CONSUMER_KEY": fake_woo.CONSUMER_KEY,
            "WOOCOMMERCE_CONSUMER_SECRET": fake_woo.CONSUMER_SECRET,
        }
    return common | {"SHOP_URL": url}
