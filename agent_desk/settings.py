"""The one place the agent desk reads its environment and checks the `desk` part of
config/desk.yml (the file itself is read by tickets/settings.py, with the ticket part).

Secrets have no default: without RASA_API_TOKEN the desk cannot read conversations or reply,
so it refuses to start with a message saying so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from ipaddress import IPv4Network, IPv6Network
from pathlib import Path

from agent_desk.canned import CannedReply, load_canned_replies
from agent_desk.throttle import LoginLimits
from contract.slots import LEVELS
from mood.settings import DEFAULT_PATH as HANDOFF_CONFIG
from mood.settings import load_frustration_settings
from settings.env import PROJECT_ROOT, Env
from settings.secret_file import secret_or_file
from settings.yaml_file import ConfigError, Section
from tickets.settings import (
    TicketConfig,
    config_path,
    load_chatwoot_webhook_secret,
    read_desk_file,
)


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
    secret_key: str
    secure_cookies: bool
    allow_demo_accounts: bool
    login_limits: LoginLimits
    # TRUSTED_PROXIES: proxies whose X-Forwarded-For is believed (sign-in limits per address).
    trusted_proxies: tuple[IPv4Network | IPv6Network, ...]
    tickets: TicketConfig
    unclaimed_notice_after_s: float
    unclaimed_check_every_s: float
    session_lifetime_s: float
    refresh_s: float
    live_fallback_s: float
    max_live_streams: int
    rasa_connect_timeout_s: float
    rasa_read_timeout_s: float
    hand_back_levels: dict[str, float]
    # How every time on the desk reads, server- and browser-drawn alike: "24h" or "12h".
    time_format: str = "24h"
    # Saved replies on the conversation page (config/canned_replies.yml, CANNED_REPLIES_FILE).
    canned_replies: tuple[CannedReply, ...] = ()
    # Where the Review page's export writes training data (REVIEW_EXPORT_FILE).
    review_export_file: Path = PROJECT_ROOT / "data" / "nlu" / "reviewed.yml"
    # HANDOFF_TARGET=chatwoot: the secret in Chatwoot's webhook URL (agent_desk/chatwoot_hook.py).
    chatwoot_webhook_secret: str = ""


def _levels(desk: Section, threshold: float) -> dict[str, float]:
    """hand_back_levels: each below the handoff threshold, or a hand-back hands straight over."""
    levels = desk.numbers("hand_back_levels", 0.0, 1.0)
    if not levels:
        raise desk.error(desk.name("hand_back_levels"), "must map levels to scores")
    for level, score in levels.items():
        if level not in LEVELS:
            raise desk.error(desk.name(f"hand_back_levels.{level}"), f"is not a level {LEVELS}")
        if score >= threshold:
            raise ConfigError(
                f"{desk.path}: 'desk.hand_back_levels.{level}' ({score}) must stay below "
                f"'handoff.threshold' in {HANDOFF_CONFIG} ({threshold}), or a conversation "
                "handed back would come straight back to the queue"
            )
    return dict(levels)


TIME_FORMATS = ("24h", "12h")


def _time_format(desk: Section) -> str:
    """desk.time_format: one clock for every time an agent reads."""
    value = desk.text("time_format")
    if value not in TIME_FORMATS:
        raise desk.error(desk.name("time_format"), f"must be one of {TIME_FORMATS}, got {value!r}")
    return value


def load_desk_settings(environ: Mapping[str, str] | None = None) -> DeskSettings:
    """Settings from the environment (or `environ`) and DESK_CONFIG (default config/desk.yml)."""
    env = Env(environ)
    token = env.secret(
        "RASA_API_TOKEN",
        "the desk needs the Rasa server's API token to read conversations and send replies "
        "(the launcher sets it; see agent_desk/README.md).",
    )
    desk_file = read_desk_file(config_path(env))
    desk = desk_file.desk
    settings = DeskSettings(
        host=env.host("DESK_HOST"),
        port=env.port("DESK_PORT"),
        rasa_url=env.url("RASA_URL", "RASA_PORT"),
        rasa_token=token,
        redis_url=env.redis_url(),
        shop_url=env.url("SHOP_URL", "SHOP_PORT"),
        agents_file=env.path("AGENTS_FILE", PROJECT_ROOT / "config" / "agents.yml"),
        secret_key=secret_or_file(env, "DESK_SECRET_KEY"),
        secure_cookies=env.flag("DESK_SECURE_COOKIES"),
        allow_demo_accounts=env.flag("DESK_ALLOW_DEMO_ACCOUNTS"),
        login_limits=LoginLimits(
            per_account=desk.integer("login_failures_per_account", 1),
            per_address=desk.integer("login_failures_per_address", 1),
            window_s=desk.number("login_window_minutes", 0.1) * 60,
            per_known_address=desk.integer("login_failures_per_known_address", 1),
            known_address_s=desk.number("known_address_days", 0.0) * 86400,
        ),
        trusted_proxies=env.networks("TRUSTED_PROXIES"),
        tickets=desk_file.tickets,
        unclaimed_notice_after_s=desk.number("unclaimed_notice_after_seconds", 0.0),
        unclaimed_check_every_s=desk.number("unclaimed_check_every_seconds", 0.2),
        session_lifetime_s=desk.number("session_lifetime_minutes", 1.0) * 60,
        refresh_s=desk.number("refresh_seconds", 0.5),
        live_fallback_s=desk.number("live_fallback_seconds", 1.0),
        max_live_streams=desk.integer("max_live_streams", 1),
        rasa_connect_timeout_s=desk.number("rasa_connect_timeout_seconds", 0.1),
        rasa_read_timeout_s=desk.number("rasa_read_timeout_seconds", 0.1),
        hand_back_levels=_levels(desk, load_frustration_settings().handoff.threshold),
        time_format=_time_format(desk),
        canned_replies=load_canned_replies(
            env.path("CANNED_REPLIES_FILE", PROJECT_ROOT / "config" / "canned_replies.yml")
        ),
        review_export_file=env.path(
            "REVIEW_EXPORT_FILE", PROJECT_ROOT / "data" / "nlu" / "reviewed.yml"
        ),
        chatwoot_webhook_secret=load_chatwoot_webhook_secret(environ),
    )
    desk.finish()
    return settings
