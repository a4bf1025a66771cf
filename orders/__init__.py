"""The merchant's order system: the one client module the assistant reaches it through
(`orders.client`), and the demo shop that stands in for a real one (`orders.demo_shop`).
"""
