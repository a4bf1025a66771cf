"""The address a customer's request comes from, as the REST and web-chat channels stamp it.

The action server limits handoffs per address (tickets/rate_limit.py), so the channels put it
in every message's metadata (`contract.metadata.CLIENT_ADDRESS_KEY`), replacing whatever the
client sent there. Sanic decides what the address is: `remote_addr` honours the proxy headers
only when the operator configured which proxies to trust (SANIC_PROXIES_COUNT,
SANIC_REAL_IP_HEADER, SANIC_FORWARDED_SECRET), so a client cannot pick its own address with
an X-Forwarded-For header; without a proxy configured it is the connection's peer.
"""

from __future__ import annotations

from sanic.request import Request


def client_address(request: Request | None) -> str:
    """Sanic's view of the client's address; "" when there is no request."""
    if request is None:
        return ""
    return str(request.remote_addr or request.ip or "")
