"""The address a customer's request comes from, as the REST and web-chat channels stamp it.

The action server limits handoffs and wrong emails per address (tickets/rate_limit.py,
actions/guess_limits.py), so the channels put it in every message's metadata
(`contract.metadata.CLIENT_ADDRESS_KEY`), replacing whatever the client sent there.

Behind a tunnel or a reverse proxy every connection comes from the proxy: set TRUSTED_PROXIES
to its addresses (or networks) and the address is read from X-Forwarded-For, believed only as
far as the hops are trusted proxies (`contract.addresses.real_client`), so a client cannot pick
its own address with the header. Without TRUSTED_PROXIES, Sanic's `remote_addr` is used: it
honours the headers only when the operator configured Sanic's own proxy settings
(SANIC_PROXIES_COUNT, SANIC_REAL_IP_HEADER, SANIC_FORWARDED_SECRET), else it is empty and the
connection's peer is taken.
"""

from __future__ import annotations

from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network

from sanic.request import Request

from contract.addresses import real_client
from settings.env import Env


@lru_cache(maxsize=1)
def trusted_proxies() -> tuple[IPv4Network | IPv6Network, ...]:
    """TRUSTED_PROXIES, read once per process (a wrong entry stops the first request's channel
    with a message naming the variable)."""
    return Env().networks("TRUSTED_PROXIES")


def client_address(request: Request | None) -> str:
    """The client's address; "" when there is no request."""
    if request is None:
        return ""
    trusted = trusted_proxies()
    if trusted:
        return real_client(str(request.ip or ""), request.headers.get("x-forwarded-for"), trusted)
    return str(request.remote_addr or request.ip or "")
