"""The desk's sign-in against the holes a probe found: open redirects, cookies that outlive
sign-out, unlimited password guessing, public demo accounts, a signing key kept in Redis."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from agent_desk.accounts import Accounts, accounts_for
from agent_desk.settings import load_desk_settings
from settings.env import PROJECT_ROOT
from tests.agent_desk.desk_helpers import PASSWORD, DeskUnderTest, post, token_in

DEMO_AGENTS = PROJECT_ROOT / "config" / "agents.yml"


def sign_in(
    client: FlaskClient, username: str, password: str = PASSWORD, query: str = ""
) -> tuple[int, str]:
    """Posts the sign-in form (token from the page); (status, Location header)."""
    token = token_in(client.get("/login").get_data(True))
    response = client.post(
        f"/login{query}",
        data={"username": username, "password": password, "csrf_token": token},
    )
    return response.status_code, response.headers.get("Location", "")


def from_address(desk: DeskUnderTest, address: str) -> FlaskClient:
    """A browser on another machine."""
    client = desk.app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


@pytest.mark.parametrize(
    "query",
    [
        "?next=/%09/evil.example/phish",
        "?next=/%0d%0aSet-Cookie:%20x=1",
        "?next=/%0a/evil.example",
        "?next=/%5C%5Cevil.example",
        "?next=%2F%2Fevil.example",
        "?next=https://evil.example/",
    ],
)
def test_sign_in_never_redirects_off_the_desk(desk: DeskUnderTest, query: str) -> None:
    status, location = sign_in(desk.app.test_client(), "alex", query=query)

    assert status == 303
    assert location == "/"  # the queue, not the target given


def test_sign_in_returns_to_the_desk_page_asked_for(desk: DeskUnderTest) -> None:
    reference = desk.ticket()
    status, location = sign_in(
        desk.app.test_client(), "alex", query=f"?next=/tickets/{reference}%3Fx%3D1"
    )
    assert (status, location) == (303, f"/tickets/{reference}?x=1")


def test_a_cookie_copied_before_sign_out_does_not_work_after_it(desk: DeskUnderTest) -> None:
    alex = desk.agent("alex")
    cookie = alex.get_cookie("desk_session")
    assert cookie is not None
    copy = desk.app.test_client()
    copy.set_cookie("desk_session", cookie.value)
    assert copy.get("/").status_code == 200  # the copy works while alex is signed in

    post(alex, "/logout", "/")

    assert copy.get("/").status_code == 302  # sent to sign-in
    assert copy.get("/api/queue").status_code == 401


def test_demo_accounts_are_refused_off_loopback() -> None:
    accounts = Accounts.load(DEMO_AGENTS)

    assert accounts_for(accounts, "127.0.0.1", allow_demo=False) is accounts
    assert accounts_for(accounts, "::1", allow_demo=False) is accounts
    with pytest.raises(SystemExit, match="DESK_ALLOW_DEMO_ACCOUNTS=1"):
        accounts_for(accounts, "0.0.0.0", allow_demo=False)
    allowed = accounts_for(accounts, "10.0.0.5", allow_demo=True)
    assert allowed.verify("alex", PASSWORD) is not None


def test_demo_accounts_are_dropped_beside_real_ones(tmp_path: Path) -> None:
    agents = tmp_path / "agents.yml"
    agents.write_text(
        DEMO_AGENTS.read_text(encoding="utf-8").replace(
            "agents:",
            "agents:\n  - username: kim\n    display_name: Kim\n"
            f"    password_hash: '{generate_password_hash('a long real password')}'",
            1,
        ),
        encoding="utf-8",
    )
    kept = accounts_for(Accounts.load(agents), "0.0.0.0", allow_demo=False)

    assert kept.verify("alex", PASSWORD) is None
    assert kept.verify("kim", "a long real password") is not None


def test_the_cookie_key_comes_from_the_environment_or_a_private_file(tmp_path: Path) -> None:
    base = {"RASA_API_TOKEN": "t", "VAR_DIR": str(tmp_path)}
    assert load_desk_settings({**base, "DESK_SECRET_KEY": "set-by-ops"}).secret_key == "set-by-ops"

    generated = load_desk_settings(base).secret_key
    key_file = tmp_path / "secrets" / "desk_secret_key"
    assert key_file.read_text(encoding="ascii").strip() == generated and len(generated) >= 32
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert load_desk_settings(base).secret_key == generated  # kept across restarts


def test_a_forged_token_with_any_characters_is_refused_not_an_error(desk: DeskUnderTest) -> None:
    reference = desk.ticket()
    alex = desk.agent("alex")
    for forged in ("é", "\u0000", "字" * 100):
        response = alex.post(f"/tickets/{reference}/claim", data={"csrf_token": forged})
        assert response.status_code == 400
