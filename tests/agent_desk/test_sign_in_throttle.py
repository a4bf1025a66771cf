"""Finding 4: five wrong passwords for a user name, from anywhere, locked its agent out until
the end of a fixed 15-minute bucket, and the fixed bucket allowed 5 guesses at the end of one
window and 5 more at the start of the next. Sign-in is now counted in moving windows
(agent_desk/throttle.py): per address, and per account split between the account's known
addresses (each its own count) and everywhere else (one count). The real desk app on a real
Redis; its clock is moved instead of waiting."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from harness.redis_server import RedisServer
from tests.agent_desk.desk_helpers import PASSWORD, DeskUnderTest, running_desk, token_in

OFFICE = "198.51.100.2"  # where alex signs in every day
ATTACKER = "203.0.113.7"


def from_address(
    desk: DeskUnderTest, address: str, forwarded_for: str | None = None
) -> FlaskClient:
    """A browser at `address` (behind a proxy: the proxy's address, and the header it adds)."""
    client = desk.app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    if forwarded_for:
        client.environ_base["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client


def sign_in(client: FlaskClient, username: str, password: str = PASSWORD) -> int:
    """Posts the sign-in form (token from the page); the status."""
    token = token_in(client.get("/login").get_data(True))
    data = {"username": username, "password": password, "csrf_token": token}
    return client.post("/login", data=data).status_code


def test_a_stranger_guessing_does_not_lock_the_agent_out_of_their_usual_place(
    desk: DeskUnderTest,
) -> None:
    limits = desk.settings.login_limits
    assert sign_in(from_address(desk, OFFICE), "alex") == 303  # an ordinary day
    attacker = from_address(desk, ATTACKER)
    statuses = [sign_in(attacker, "alex", f"guess-{n}") for n in range(limits.per_account + 5)]
    assert statuses == [401] * limits.per_account + [429] * 5
    assert sign_in(attacker, "alex") == 429  # the attacker learns nothing from the right one

    # The agent at the office is not affected, and neither is a colleague anywhere.
    assert sign_in(from_address(desk, OFFICE), "alex") == 303
    assert sign_in(from_address(desk, "192.0.2.40"), "sam") == 303


def test_the_agent_on_a_new_network_waits_only_while_guessing_goes_on(desk: DeskUnderTest) -> None:
    """The trade-off: an address alex never used shares the strangers' count."""
    limits = desk.settings.login_limits
    attacker = from_address(desk, ATTACKER)
    for n in range(limits.per_account):
        assert sign_in(attacker, "alex", f"guess-{n}") == 401
    hotel = from_address(desk, "192.0.2.99")
    token = token_in(hotel.get("/login").get_data(True))
    data = {"username": "alex", "password": PASSWORD, "csrf_token": token}
    locked = hotel.post("/login", data=data)
    page = locked.get_data(True)
    assert locked.status_code == 429
    assert "Try again in" in page and "a network you have used the desk from before" in page
    assert 0 < int(locked.headers["Retry-After"]) <= limits.window_s + 1
    desk.clock.now += limits.window_s + 1
    assert sign_in(hotel, "alex") == 303


def test_the_agent_mistyping_at_the_office_has_a_count_of_their_own(desk: DeskUnderTest) -> None:
    limits = desk.settings.login_limits
    office = from_address(desk, OFFICE)
    assert sign_in(office, "alex") == 303
    office = from_address(desk, OFFICE)
    for n in range(limits.per_known_address):
        assert sign_in(office, "alex", f"typo-{n}") == 401
    assert sign_in(office, "alex") == 429
    # ...which does not touch the count for everywhere else.
    assert sign_in(from_address(desk, "192.0.2.5"), "alex") == 303


def test_the_window_moves_no_fresh_guesses_at_a_bucket_boundary(desk: DeskUnderTest) -> None:
    limits = desk.settings.login_limits
    window = limits.window_s
    # The old buckets started at multiples of the window: guess just before one ends...
    desk.clock.now = (desk.clock.now // window + 1) * window - 1
    attacker = from_address(desk, ATTACKER)
    for n in range(limits.per_account):
        assert sign_in(attacker, "alex", f"guess-{n}") == 401
    # ...and just after the next one starts: still refused.
    desk.clock.now += 2
    assert sign_in(attacker, "alex", "guess-more") == 429
    assert sign_in(from_address(desk, "192.0.2.6"), "alex", "guess-more") == 429
    desk.clock.now += window
    assert sign_in(attacker, "alex", "guess-late") == 401


def test_parallel_guesses_cannot_slip_past_the_count(desk: DeskUnderTest) -> None:
    limits = desk.settings.login_limits

    def guess(n: int) -> int:
        return sign_in(from_address(desk, ATTACKER), "alex", f"burst-{n}")

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(guess, range(24)))
    assert statuses.count(401) == limits.per_account
    assert statuses.count(429) == 24 - limits.per_account


def test_one_address_trying_many_accounts_is_refused(desk: DeskUnderTest) -> None:
    limits = desk.settings.login_limits
    attacker = from_address(desk, "203.0.113.9")
    for attempt in range(limits.per_address):
        assert sign_in(attacker, f"user{attempt}", "guess") == 401
    assert sign_in(attacker, "sam") == 429
    assert sign_in(from_address(desk, "198.51.100.3"), "sam") == 303


@pytest.fixture
def proxied_desk(
    redis_server: RedisServer, shop_server: str, tmp_path: Path
) -> Iterator[DeskUnderTest]:
    """The desk behind a reverse proxy at 10.0.0.1 (TRUSTED_PROXIES)."""
    with running_desk(
        redis_server.url, shop_server, tmp_path, {"TRUSTED_PROXIES": "10.0.0.1"}
    ) as running:
        yield running


def test_sign_in_limits_use_the_address_behind_a_trusted_proxy(proxied_desk: DeskUnderTest) -> None:
    limits = proxied_desk.settings.login_limits
    attacker = from_address(proxied_desk, "10.0.0.1", forwarded_for="203.0.113.50")
    for attempt in range(limits.per_address):
        assert sign_in(attacker, f"user{attempt}", "guess") == 401
    assert sign_in(attacker, "sam") == 429
    # Another customer through the same proxy has a count of their own.
    assert sign_in(from_address(proxied_desk, "10.0.0.1", "198.51.100.60"), "sam") == 303


def test_sign_in_ignores_forwarded_addresses_from_anyone_else(proxied_desk: DeskUnderTest) -> None:
    limits = proxied_desk.settings.login_limits
    for attempt in range(limits.per_address):
        forged = from_address(proxied_desk, "203.0.113.51", forwarded_for=f"192.0.2.{attempt}")
        assert sign_in(forged, f"user{attempt}", "guess") == 401
    assert sign_in(from_address(proxied_desk, "203.0.113.51", "192.0.2.200"), "sam") == 429
