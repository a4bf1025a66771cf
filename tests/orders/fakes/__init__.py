"""Local fakes of the store platforms' APIs, for the order-system adapters' tests.

Each is written from the platform's published documentation (pages cited in each module) and
implements only the requests and answers the adapter uses, seeded with the demo shop's twelve
orders (orders/demo_shop/seed.py) so one behaviour suite runs against every platform. Each
records the calls it receives and can be told to stall, fail or throttle.
"""
