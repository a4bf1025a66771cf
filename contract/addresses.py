"""Client addresses behind proxies, and address lists from the environment.

A rate limit per client address is only as good as the address: behind a tunnel or a reverse
proxy every connection comes from the proxy, so every customer would share one limit (or, with
the proxy's address exempt, none). The address is therefore read from `X-Forwarded-For`, but
only as far as the hops are trusted: starting from the connection's peer, each address that is
one of the configured proxies (TRUSTED_PROXIES) hands over to the address it names before
itself; the first address that is not a trusted proxy is the client. A client talking to the
server directly cannot choose its address with the header, and one talking through the proxy
cannot either (the proxy appends the address it saw, and only that last entry is believed).
"""

from __future__ import annotations

from collections.abc import Iterable
from ipaddress import IPv4Network, IPv6Network, ip_address

Networks = Iterable[IPv4Network | IPv6Network]


def within(address: str | None, networks: Networks) -> bool:
    """True when `address` is an IP address inside one of `networks`."""
    try:
        parsed = ip_address((address or "").strip().strip("[]"))
    except ValueError:
        return False
    mapped = getattr(parsed, "ipv4_mapped", None)
    if mapped is not None:
        parsed = mapped
    return any(parsed.version == net.version and parsed in net for net in networks)


def real_client(peer: str, forwarded_for: str | None, trusted: Networks) -> str:
    """The client's address: `peer`, or, when the peer is a trusted proxy, the right-most
    `X-Forwarded-For` entry that is not one (a malformed entry ends the walk at the last
    trusted hop, which is then taken as the client)."""
    proxies = tuple(trusted)
    if not within(peer, proxies):
        return peer
    current = peer
    hops = [hop.strip() for hop in (forwarded_for or "").split(",") if hop.strip()]
    for hop in reversed(hops):
        try:
            ip_address(hop.strip("[]"))
        except ValueError:
            return current
        current = hop.strip("[]")
        if not within(current, proxies):
            return current
    return current
