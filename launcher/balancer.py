"""Several Rasa servers and action servers on one machine behind HAProxy, all on one Redis.

HAProxy (Debian's package; `deploy/setup.sh --balancer` installs it) takes the public ports:
RASA_PORT for customers, the agent desk and the widget, ACTION_PORT for the Rasa servers'
custom-action calls. Why HAProxy rather than nginx: health checks that take a dead instance
out within a second and retry a refused request on another one are in Debian's free build
(nginx's active checks are a commercial feature), cookie and source-hash stickiness come
built in, and WebSocket upgrades need no extra configuration.

What each route does:
- REST, Slack, Telegram webhooks and the HTTP API: round robin. Any Rasa server can take any
  message, because trackers and locks live in Redis (endpoints.yml): the lock keeps one
  conversation's messages in order even when they land on different servers.
- /socket.io: sticky. Engine.IO's long-polling sends several requests per session that only the
  server holding the session understands. Browsers that keep cookies stick by HAProxy's
  cookie; the rest (a widget on another origin) by a consistent hash of their address. The
  widget (web/) speaks WebSocket only, one connection, sticky by nature. Replies for a
  conversation reach its socket from any server through Redis (addons/channels/webchat.py).
- Every response names the instance that served it in `X-Served-By` (tests, debugging).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace

from launcher.process import Service, http_ok
from launcher.settings import StackSettings

ServiceFor = Callable[[StackSettings], Service]
HAPROXY_CANDIDATES = ("haproxy", "/usr/sbin/haproxy")
SERVED_BY_HEADER = "X-Served-By"
# A dead instance leaves the rotation after two failed checks a second apart.
CHECK = "check inter 1s fall 2 rise 1"

CONFIG_TEMPLATE = """\
# Written by the launcher (launcher/balancer.py) at every start; edits here are lost.
global
    log stdout format raw local0 notice
    maxconn 4096

defaults
    mode http
    log global
    option dontlognull
    timeout connect 3s
    timeout client 120s
    timeout server 120s
    # A socket.io WebSocket stays open as long as the customer's page does.
    timeout tunnel 1h
    # A refused connection (an instance that just died) is retried on another instance.
    retries 2
    option redispatch 1

frontend rasa
    bind {host}:{rasa_port}
    use_backend rasa_socketio if {{ path_beg /socket.io }}
    default_backend rasa_http

backend rasa_http
    balance roundrobin
    option httpchk GET /
    http-response set-header {header} %[srv_name]
{rasa_http_servers}

backend rasa_socketio
    balance source
    hash-type consistent
    cookie CS_RASA_INSTANCE insert indirect nocache httponly
    http-response set-header {header} %[srv_name]
{rasa_socketio_servers}

frontend actions
    bind {host}:{action_port}
    default_backend actions

backend actions
    balance roundrobin
    option httpchk GET /health
    http-response set-header {header} %[srv_name]
{action_servers}
"""


def haproxy_binary() -> str:
    """Debian's haproxy, or a clear message on how to install it."""
    for candidate in HAPROXY_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    raise SystemExit(
        "RASA_INSTANCES / ACTION_INSTANCES above 1 need HAProxy: run `deploy/setup.sh "
        "--balancer` (or `apt-get install haproxy`)."
    )


def rasa_instance_name(number: int) -> str:
    """`rasa-1`, `rasa-2` ...: the service name, log file name and HAProxy server name."""
    return f"rasa-{number}"


def action_instance_name(number: int) -> str:
    """`actions-1`, `actions-2` ..."""
    return f"actions-{number}"


def haproxy_config(settings: StackSettings) -> str:
    """The HAProxy configuration for the instances in `settings.instances`."""
    host = settings.host
    rasa = [(rasa_instance_name(i), p) for i, p in enumerate(settings.instances.rasa_ports, 1)]
    actions = [
        (action_instance_name(i), p) for i, p in enumerate(settings.instances.action_ports, 1)
    ]
    return CONFIG_TEMPLATE.format(
        host=host,
        rasa_port=settings.rasa_port,
        action_port=settings.action_port,
        header=SERVED_BY_HEADER,
        rasa_http_servers="\n".join(f"    server {n} {host}:{p} {CHECK}" for n, p in rasa),
        # The socket.io backend follows the other one's health checks instead of its own.
        rasa_socketio_servers="\n".join(
            f"    server {n} {host}:{p} track rasa_http/{n} cookie {n}" for n, p in rasa
        ),
        action_servers="\n".join(f"    server {n} {host}:{p} {CHECK}" for n, p in actions),
    )


def haproxy_service(settings: StackSettings) -> Service:
    """HAProxy in the foreground with a configuration written to VAR_DIR/haproxy.cfg now."""
    config = settings.var_dir / "haproxy.cfg"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(haproxy_config(settings), encoding="utf-8")
    rasa_ready = http_ok(f"{settings.rasa_url}/")
    actions_ready = http_ok(f"http://{settings.host}:{settings.action_port}/health")
    return Service(
        name="balancer",
        argv=[haproxy_binary(), "-db", "-f", str(config)],
        ready=lambda: rasa_ready() and actions_ready(),
        listens=(
            f"{settings.rasa_url} and http://{settings.host}:{settings.action_port} "
            f"(HAProxy: {len(settings.instances.rasa_ports)} Rasa, "
            f"{len(settings.instances.action_ports)} action servers; config {config})"
        ),
        ready_timeout_s=20,
        start_last=True,
    )


def instance_services(
    settings: StackSettings, action_service: ServiceFor, rasa_service: ServiceFor
) -> list[Service]:
    """The action and Rasa servers in start order: one of each, or every instance and HAProxy.

    Instances are the same services on their private ports; they inherit the stack's
    environment, so every Rasa server calls the action servers through the balancer.
    """
    if not settings.instances.balanced:
        return [action_service(settings), rasa_service(settings)]
    services = []
    for number, port in enumerate(settings.instances.action_ports, 1):
        service = action_service(settings.with_ports(action_port=port))
        services.append(replace(service, name=action_instance_name(number)))
    for number, port in enumerate(settings.instances.rasa_ports, 1):
        service = rasa_service(settings.with_ports(rasa_port=port))
        services.append(
            replace(
                service,
                name=rasa_instance_name(number),
                listens=f"http://{settings.host}:{port} (Rasa server {number}, behind HAProxy)",
            )
        )
    services.append(haproxy_service(settings))
    return services
