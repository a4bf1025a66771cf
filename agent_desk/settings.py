"""The one place the agent desk reads its environment and the `desk` part of config/desk.yml.

Secrets have no default: without RASA_API_TOKEN the desk cannot read conversations or reply,
so it refuses to start with a message saying so.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Mapping, Optional

from tickets.config import (
    DEFAULT_PATH,
    ConfigError,
    TicketConfig,
    number,
    parse_ticket_config,
    read_yaml,
    section,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LEVELS = ("calm", "annoyed", "frustrated")


@dataclass(frozen=True)
class DeskSettings:
    """Everything the desk needs; see config/desk.yml and agent_desk/README.md."""

    host: str
    port: int
    rasa_url: str
    rasa_token: str
    redis_url: str
    shop_url: str
    agents_file: Path
    secret_key: Optional[str]
    secure_cookies: bool
    tickets: TicketConfig
    unclaimed_notice_after_s: float
    unclaimed_check_every_s: float
    session_lifetime_s: float
    refresh_s: float
    rasa_connect_timeout_s: float
    rasa_read_timeout_s: float
    hand_back_levels: Dict[str, float]


def _levels(raw: object, path: Path) -> Dict[str, float]:
    if not isinstance(raw, dict) or not raw:
        raise ConfigError(f"{path}: 'desk.hand_back_levels' must map levels to scores")
    levels: Dict[str, float] = {}
    for level, score in raw.items():
        if level not in LEVELS:
            raise ConfigError(f"{path}: hand_back_levels: unknown level {level!r} ({LEVELS})")
        if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0 <= score <= 1:
            raise ConfigError(f"{path}: hand_back_levels.{level} must be between 0 and 1")
        levels[level] = float(score)
    return levels


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "")
    if raw and not raw.isdigit():
        raise SystemExit(f"{name} must be a port number, got {raw!r}")
    return int(raw) if raw else default


def load_desk_settings(env: Mapping[str, str] = os.environ) -> DeskSettings:
    """Settings from the environment and DESK_CONFIG (default config/desk.yml)."""
    token = env.get("RASA_API_TOKEN", "")
    if not token:
        raise SystemExit(
            "RASA_API_TOKEN is not set: the desk needs the Rasa server's API token to read "
            "conversations and send replies (the launcher sets it; see agent_desk/README.md)."
        )
    path = Path(env.get("DESK_CONFIG") or DEFAULT_PATH)
    raw = read_yaml(path)
    desk = section(raw, "desk", path)
    return DeskSettings(
        host=env.get("DESK_HOST", "127.0.0.1"),
        port=_port(env, "DESK_PORT", 8072),
        rasa_url=env.get("RASA_URL", "http://127.0.0.1:5005").rstrip("/"),
        rasa_token=token,
        redis_url=env.get("REDIS_URL", "redis://127.0.0.1:6390/0"),
        shop_url=env.get("SHOP_URL", "http://127.0.0.1:8071").rstrip("/"),
        agents_file=Path(env.get("AGENTS_FILE", PROJECT_ROOT / "config" / "agents.yml")),
        secret_key=env.get("DESK_SECRET_KEY") or None,
        secure_cookies=env.get("DESK_SECURE_COOKIES", "") == "1",
        tickets=parse_ticket_config(raw, path),
        unclaimed_notice_after_s=number(desk, "unclaimed_notice_after_seconds", path),
        unclaimed_check_every_s=number(desk, "unclaimed_check_every_seconds", path, 0.2),
        session_lifetime_s=number(desk, "session_lifetime_minutes", path, 1) * 60,
        refresh_s=number(desk, "refresh_seconds", path, 0.5),
        rasa_connect_timeout_s=number(desk, "rasa_connect_timeout_seconds", path, 0.1),
        rasa_read_timeout_s=number(desk, "rasa_read_timeout_seconds", path, 0.1),
        hand_back_levels=_levels(desk.get("hand_back_levels"), path),
    )
