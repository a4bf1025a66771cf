"""Agent accounts from config/agents.yml (or AGENTS_FILE): usernames, password hashes, roles.

A role decides what else than the queue an agent may open: `analytics_roles` lists the roles
that see /analytics (the figures name agents' judgements, so not every agent needs them).
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from werkzeug.security import check_password_hash, generate_password_hash

from settings.yaml_file import ConfigError, read_yaml

# The password of the demo accounts in config/agents.yml (documented, so never for a real desk).
DEMO_PASSWORD = "demo-password"
LOOPBACK_NAMES = ("localhost",)

logger = logging.getLogger(__name__)

# Checked when the username is unknown, so a wrong username costs as long as a wrong password
# and response times do not reveal which usernames exist.
_DUMMY_HASH = generate_password_hash("not a password of anyone")


@dataclass(frozen=True)
class Agent:
    """A signed-in person."""

    username: str
    display_name: str
    role: str = "agent"


@dataclass(frozen=True)
class _Account:
    agent: Agent
    password_hash: str


class Accounts:
    """The accounts allowed to sign in."""

    def __init__(self, accounts: dict[str, _Account], analytics_roles: frozenset[str]) -> None:
        """Use `load`."""
        self._accounts = accounts
        self._analytics_roles = analytics_roles

    @classmethod
    def load(cls, path: Path) -> Accounts:
        """Reads and checks the file; a bad file stops the desk at start-up, naming it."""
        try:
            raw: Any = read_yaml(path)
        except ConfigError as exc:
            raise SystemExit(f"agent accounts: {exc}") from exc
        entries = raw.get("agents") if isinstance(raw, dict) else None
        if not isinstance(entries, list) or not entries:
            raise SystemExit(f"{path}: expected 'agents:' with at least one account")
        accounts: dict[str, _Account] = {}
        for entry in entries:
            if not isinstance(entry, dict) or not all(
                isinstance(entry.get(k), str) and entry.get(k)
                for k in ("username", "display_name", "password_hash")
            ):
                raise SystemExit(
                    f"{path}: each account needs username, display_name and password_hash"
                )
            if ":" not in entry["password_hash"]:
                raise SystemExit(
                    f"{path}: password_hash of {entry['username']!r} is not a hash; make one "
                    "with: python -m agent_desk hash-password"
                )
            role = entry.get("role", "agent")
            if not isinstance(role, str) or not role:
                raise SystemExit(f"{path}: role of {entry['username']!r} must be a word")
            agent = Agent(entry["username"], entry["display_name"], role)
            accounts[agent.username] = _Account(agent, entry["password_hash"])
        roles = raw.get("analytics_roles", [])
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            raise SystemExit(f"{path}: analytics_roles must be a list of role names")
        return cls(accounts, frozenset(roles))

    def may_see_analytics(self, agent: Agent) -> bool:
        """Whether the agent's role is one of `analytics_roles`."""
        return agent.role in self._analytics_roles

    def get(self, username: str) -> Agent | None:
        """The agent with this username, if the account exists."""
        account = self._accounts.get(username)
        return account.agent if account else None

    def verify(self, username: str, password: str) -> Agent | None:
        """The agent when the password matches, else None."""
        account = self._accounts.get(username)
        if account is None:
            check_password_hash(_DUMMY_HASH, password)
            return None
        return account.agent if check_password_hash(account.password_hash, password) else None

    def without_demo_accounts(self) -> Accounts:
        """These accounts minus any whose password is the documented demo password."""
        kept = {
            name: account
            for name, account in self._accounts.items()
            if not check_password_hash(account.password_hash, DEMO_PASSWORD)
        }
        return Accounts(kept, self._analytics_roles)

    def usernames(self) -> list[str]:
        """Every account's username."""
        return list(self._accounts)


def is_loopback(host: str) -> bool:
    """Whether `host` only accepts connections from this machine."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def accounts_for(accounts: Accounts, host: str, allow_demo: bool) -> Accounts:
    """The accounts that may sign in on a desk listening on `host`.

    The demo password is public, so a desk reachable from other machines refuses the demo
    accounts unless DESK_ALLOW_DEMO_ACCOUNTS=1 says so; with none left it does not start.
    """
    if allow_demo or is_loopback(host):
        return accounts
    kept = accounts.without_demo_accounts()
    dropped = sorted(set(accounts.usernames()) - set(kept.usernames()))
    if dropped:
        logger.warning(
            "desk on %s: demo accounts %s refused (public password); set "
            "DESK_ALLOW_DEMO_ACCOUNTS=1 to allow them",
            host,
            ", ".join(dropped),
        )
    if not kept.usernames():
        raise SystemExit(
            f"the agent desk listens on {host}, reachable from other machines, and every "
            "account uses the public demo password: set AGENTS_FILE to your own accounts "
            "(python -m agent_desk hash-password), or DESK_ALLOW_DEMO_ACCOUNTS=1 to allow them"
        )
    return kept
