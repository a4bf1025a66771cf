"""The client's address behind proxies (contract/addresses.py): X-Forwarded-For is believed
only as far as the hops are trusted proxies."""

from __future__ import annotations

from ipaddress import ip_network

import pytest

from contract.addresses import real_client, within
from settings.env import Env, SettingsError

PROXIES = (ip_network("127.0.0.1/32"), ip_network("10.0.0.0/8"), ip_network("::1/128"))


@pytest.mark.parametrize(
    ("peer", "header", "client"),
    [
        ("203.0.113.5", None, "203.0.113.5"),  # no proxy
        ("203.0.113.5", "198.51.100.1", "203.0.113.5"),  # forged: the peer is no proxy
        ("127.0.0.1", "198.51.100.1", "198.51.100.1"),  # one trusted proxy
        ("127.0.0.1", "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # a forged entry before it
        ("127.0.0.1", "198.51.100.1, 10.1.2.3", "198.51.100.1"),  # two proxies in a row
        ("127.0.0.1", None, "127.0.0.1"),  # the proxy itself, no header
        ("127.0.0.1", "not-an-address", "127.0.0.1"),
        ("127.0.0.1", "10.0.0.9, 10.0.0.8", "10.0.0.9"),  # all proxies: the farthest
        ("::1", "2001:db8::7", "2001:db8::7"),
        ("::ffff:127.0.0.1", "198.51.100.1", "198.51.100.1"),
    ],
)
def test_real_client(peer: str, header: str | None, client: str) -> None:
    assert real_client(peer, header, PROXIES) == client


def test_within_reads_addresses_and_refuses_junk() -> None:
    assert within("10.200.1.1", PROXIES) and within("::1", PROXIES)
    assert not within("11.0.0.1", PROXIES) and not within("", PROXIES)
    assert not within("junk", PROXIES) and not within(None, PROXIES)


def test_networks_from_the_environment() -> None:
    env = Env({"TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8 ::1"})
    assert env.networks("TRUSTED_PROXIES") == PROXIES
    assert Env({}).networks("TRUSTED_PROXIES") == ()
    with pytest.raises(SettingsError, match="TRUSTED_PROXIES"):
        Env({"TRUSTED_PROXIES": "10.0.0.0/33"}).networks("TRUSTED_PROXIES")
