"""The only code that reads the environment: typed getters with one set of laptop defaults.

Every part reads its variables through `Env` when it starts (never at import), so tests can
set the environment first. A bad value stops start-up with a message naming the variable;
a required secret has no default and says why it is needed.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from urllib.parse import urlsplit

from settings.redis_target import RedisTargetError, sentinel_url

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# One set of defaults: every part runs on one laptop with nothing set.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORTS = {
    "RASA_PORT": 5005,
    "ACTION_PORT": 5055,
    "SHOP_PORT": 8071,
    "DESK_PORT": 8072,
    "WEB_PORT": 8073,
    "REDIS_PORT": 6390,
}


class SettingsError(SystemExit):
    """A variable is missing or malformed; the message names it (exits with status 1)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class Env:
    """Typed access to environment variables (`os.environ` unless a mapping is given)."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._env: Mapping[str, str] = os.environ if environ is None else environ

    def text(self, name: str, default: str = "") -> str:
        """The variable, or `default` when unset or empty."""
        return self._env.get(name, "") or default

    def path(self, name: str, default: Path) -> Path:
        """A file or folder; relative paths are taken from the project root."""
        raw = self.text(name)
        return (PROJECT_ROOT / raw) if raw and not Path(raw).is_absolute() else Path(raw or default)

    def integer(self, name: str, default: int, minimum: int = 0) -> int:
        """A whole number of at least `minimum`."""
        raw = self.text(name).strip()
        if not raw:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
        if value < minimum:
            raise SettingsError(f"{name} must be at least {minimum}, got {value}")
        return value

    def number(self, name: str, default: float, minimum: float = 0.0) -> float:
        """A number of at least `minimum`."""
        raw = self.text(name).strip()
        if not raw:
            return default
        try:
            value = float(raw)
        except ValueError:
            raise SettingsError(f"{name} must be a number, got {raw!r}") from None
        if value < minimum:
            raise SettingsError(f"{name} must be at least {minimum}, got {value}")
        return value

    def port(self, name: str) -> int:
        """A TCP port, default from DEFAULT_PORTS."""
        value = self.integer(name, DEFAULT_PORTS[name], minimum=1)
        if value > 65535:
            raise SettingsError(f"{name} must be a port number (1-65535), got {value}")
        return value

    def choice(self, name: str, default: str, allowed: tuple[str, ...]) -> str:
        """One of `allowed` (exact spelling)."""
        value = self.text(name, default).strip()
        if value not in allowed:
            raise SettingsError(f"{name} must be one of {', '.join(allowed)}; got {value!r}")
        return value

    def flag(self, name: str) -> bool:
        """On when set to 1, true or yes."""
        return self.text(name).strip().lower() in ("1", "true", "yes")

    def secret(self, name: str, why: str) -> str:
        """A required secret: no default; missing stops start-up with `why`."""
        value = self.text(name)
        if not value:
            raise SettingsError(f"{name} is not set: {why}")
        return value

    def host(self, name: str = "BIND_HOST") -> str:
        """The interface to listen on (`name`, then BIND_HOST, then 127.0.0.1)."""
        return self.text(name) or self.text("BIND_HOST", DEFAULT_HOST)

    def url(self, name: str, port_name: str) -> str:
        """A base URL without a trailing slash, default http://BIND_HOST:<port_name>."""
        return (self.text(name) or f"http://{self.host()}:{self.port(port_name)}").rstrip("/")

    def redis_url(self) -> str:
        """Where Redis is, as one string for `settings.redis_target.connect`: with
        REDIS_SENTINELS set, a redis+sentinel:// URL built from it, REDIS_SENTINEL_MASTER,
        REDIS_PASSWORD and REDIS_DB; else REDIS_URL; else the embedded Redis the launcher starts."""
        sentinels = self.text("REDIS_SENTINELS").strip()
        if not sentinels:
            return self.text("REDIS_URL") or f"redis://{DEFAULT_HOST}:{self.port('REDIS_PORT')}/0"
        try:
            return sentinel_url(
                sentinels,
                self.text("REDIS_SENTINEL_MASTER").strip(),
                self.text("REDIS_PASSWORD"),
                self.integer("REDIS_DB", 0),
            )
        except RedisTargetError as error:
            raise SettingsError(f"REDIS_SENTINELS: {error}") from None

    def origins(self, name: str) -> frozenset[str]:
        """Web origins (`https://shop.example`, `http://host:8080`), separated by commas or
        spaces; what a browser sends in its Origin header: scheme, host and port, no path."""
        found = set()
        for raw in self.text(name).replace(",", " ").split():
            parts = urlsplit(raw.rstrip("/"))
            if parts.scheme not in ("http", "https") or not parts.hostname or parts.path:
                raise SettingsError(
                    f"{name} must list origins like https://shop.example (no path), got {raw!r}"
                )
            found.add(f"{parts.scheme}://{parts.netloc.lower()}")
        return frozenset(found)

    def networks(self, name: str) -> tuple[IPv4Network | IPv6Network, ...]:
        """Addresses or networks (`10.0.0.5`, `10.0.0.0/8`, `::1`), separated by commas or
        spaces; a wrong one stops start-up naming the variable."""
        found = []
        for raw in self.text(name).replace(",", " ").split():
            try:
                found.append(ip_network(raw, strict=False))
            except ValueError as exc:
                raise SettingsError(
                    f"{name} must list IP addresses or networks like 10.0.0.0/8, got {raw!r}"
                ) from exc
        return tuple(found)

    def with_prefixes(self, prefixes: tuple[str, ...]) -> dict[str, str]:
        """Every variable whose name starts with one of `prefixes` (passed on to a child)."""
        return {k: v for k, v in self._env.items() if k.startswith(prefixes)}

    def copy(self) -> dict[str, str]:
        """The whole environment, for a child process to inherit."""
        return dict(self._env)


def quiet_libraries() -> None:
    """Keeps TensorFlow and SQLAlchemy from flooding a command's output (a caller's values win)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("LOG_LEVEL_LIBRARIES", "ERROR")
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
