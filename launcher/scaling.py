"""How many Rasa servers and action servers run, and on which ports (RASA_INSTANCES ...).

With one of each (the default) the public ports RASA_PORT and ACTION_PORT are the servers
themselves. With more, a load balancer (launcher/balancer.py) takes the public ports and the
instances listen on private ports: `RASA_INSTANCE_PORTS` / `ACTION_INSTANCE_PORTS` name them,
otherwise they follow the public port (RASA_PORT + 101, + 102 ...).
"""

from __future__ import annotations

from dataclasses import dataclass

from settings.env import Env, SettingsError

# Instance ports follow the public port at this distance, clear of the shell's RASA_PORT + 1.
INSTANCE_PORT_OFFSET = 100


@dataclass(frozen=True)
class Instances:
    """Private ports of the Rasa and action server instances; empty when there is no balancer."""

    rasa_ports: tuple[int, ...] = ()
    action_ports: tuple[int, ...] = ()

    @property
    def balanced(self) -> bool:
        """Whether a load balancer fronts the instances (more than one of either kind)."""
        return bool(self.rasa_ports)


def _ports(env: Env, count_name: str, list_name: str, public_port: int) -> tuple[int, ...]:
    count = env.integer(count_name, 1, minimum=1)
    raw = env.text(list_name)
    if not raw:
        return tuple(public_port + INSTANCE_PORT_OFFSET + i for i in range(1, count + 1))
    try:
        ports = tuple(int(part) for part in raw.split(",") if part.strip())
    except ValueError:
        raise SettingsError(f"{list_name} must list port numbers like 5106,5107") from None
    if len(ports) < count or not all(0 < port < 65536 for port in ports):
        raise SettingsError(f"{list_name} must list {count} port numbers ({count_name})")
    return ports[:count]


def load_instances(env: Env, rasa_port: int, action_port: int) -> Instances:
    """RASA_INSTANCES and ACTION_INSTANCES (default 1 each); more than 1 of either adds the
    balancer, which then fronts both kinds (one instance of a kind is then one backend)."""
    rasa = _ports(env, "RASA_INSTANCES", "RASA_INSTANCE_PORTS", rasa_port)
    actions = _ports(env, "ACTION_INSTANCES", "ACTION_INSTANCE_PORTS", action_port)
    if len(rasa) == 1 and len(actions) == 1:
        return Instances()
    return Instances(rasa_ports=rasa, action_ports=actions)
