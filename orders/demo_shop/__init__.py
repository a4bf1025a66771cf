"""Demo shop: a stand-in for the merchant's order system, reachable over HTTP.

The assistant's action server talks to it only through `orders.client`, so a real shop
can replace it by serving the same contract (`orders/demo_shop/openapi.yaml`).
Run it with `python -m orders.demo_shop`.
"""
