"""A private network of Linux network namespaces for the multi-host test: one namespace per
"machine", all plugged into one bridge, on addresses that exist only inside them.

Why namespaces rather than loopback ports: each "host" then has its own address and its own
127.0.0.1, so nothing reaches another part by accident through localhost, and killing a host
takes its address off the network as a crashed machine would. Names carry a random run id
(`cs<hex>-<role>`), so parallel runs never clash; `remove` kills whatever still runs inside
and deletes every namespace (the veth pairs go with them), and runs even after a failure.

Needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN), as `ip netns` does.
"""

from __future__ import annotations

import ctypes
import os
import secrets
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

CLONE_NEWNET = 0x40000000
SUBNET = "10.250.0"  # only inside this run's namespaces: no clash with the machine or other runs
NETNS_DIR = "/run/netns"


def _ip(*args: str) -> None:
    """One `ip` command; its error output in the exception when it fails."""
    result = subprocess.run(["ip", *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"ip {' '.join(args)}: {result.stderr.strip()}")


def _setns(fd: int) -> None:
    """Moves the calling thread (only it) into the network namespace open at `fd`."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.setns(fd, CLONE_NEWNET) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"setns: {os.strerror(error)}")


class Network:
    """Namespaces on one bridge; `add` returns each one's address."""

    def __init__(self) -> None:
        """Creates the switch namespace holding the bridge; nothing else yet."""
        self.run_id = secrets.token_hex(3)
        self.addresses: dict[str, str] = {}
        self._cables: dict[str, str] = {}  # role -> its end of the veth pair
        self._switch = self.namespace("switch")
        _ip("netns", "add", self._switch)
        _ip("-n", self._switch, "link", "add", "br0", "type", "bridge")
        _ip("-n", self._switch, "link", "set", "br0", "up")

    def namespace(self, role: str) -> str:
        """The namespace's name for `role` in this run."""
        return f"cs{self.run_id}-{role}"

    def add(self, role: str) -> str:
        """A namespace for `role` with loopback and one veth to the bridge; its address."""
        number = len(self.addresses) + 2
        name = self.namespace(role)
        inside, outside = f"v{self.run_id}i{number}", f"v{self.run_id}o{number}"
        address = f"{SUBNET}.{number}"
        _ip("netns", "add", name)
        self.addresses[role] = address
        self._cables[role] = inside
        _ip("link", "add", inside, "type", "veth", "peer", "name", outside)
        _ip("link", "set", inside, "netns", name)
        _ip("link", "set", outside, "netns", self._switch)
        _ip("-n", self._switch, "link", "set", outside, "master", "br0")
        _ip("-n", self._switch, "link", "set", outside, "up")
        _ip("-n", name, "addr", "add", f"{address}/24", "dev", inside)
        _ip("-n", name, "link", "set", inside, "up")
        _ip("-n", name, "link", "set", "lo", "up")
        return address

    def unplug(self, role: str) -> None:
        """Takes `role`'s link down: its address stops answering, as a dead machine's does."""
        _ip("-n", self.namespace(role), "link", "set", self._cables[role], "down")

    def argv(self, role: str, argv: list[str]) -> list[str]:
        """`argv` run inside the namespace of `role` (ip netns exec execs it: same pid)."""
        return ["ip", "netns", "exec", self.namespace(role), *argv]

    @contextmanager
    def inside(self, role: str) -> Iterator[None]:
        """This thread's sockets opened inside `role`'s namespace until the block ends
        (the test's own HTTP and socket.io clients, as a machine on that network)."""
        home = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
        target = os.open(f"{NETNS_DIR}/{self.namespace(role)}", os.O_RDONLY)
        try:
            _setns(target)
            try:
                yield
            finally:
                _setns(home)
        finally:
            os.close(target)
            os.close(home)

    def remove(self) -> None:
        """Kills every process left in this run's namespaces and deletes them."""
        for name in [*map(self.namespace, self.addresses), self._switch]:
            pids = subprocess.run(
                ["ip", "netns", "pids", name], capture_output=True, text=True, check=False
            ).stdout.split()
            for pid in pids:
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except ProcessLookupError:
                    pass
            subprocess.run(["ip", "netns", "del", name], capture_output=True, check=False)
        for cable in self._cables.values():  # left in this namespace if `add` failed midway
            subprocess.run(["ip", "link", "del", cable], capture_output=True, check=False)
