"""App hosts in network namespaces of this machine, reaching its PostgreSQL and Redis.

Each app "host" is a network namespace (``ip netns``) on one private bridge: the bridge
holds ``10.200.77.1/24`` in the root namespace, host N holds ``10.200.77.(N+1)``. The
addresses exist only on this bridge and on veth pairs to it; no route leads anywhere
but between these namespaces, so no packet leaves the machine.

PostgreSQL and Redis listen on 127.0.0.1 only, which a namespace cannot reach (its own
loopback is its own). Rather than change their configuration or the host's firewall
(``route_localnet`` and a DNAT rule would touch global state), ``socat`` from Debian
listens on the bridge's address and forwards each connection to 127.0.0.1: the servers
see a local client, as they do for the app run without namespaces, and stopping socat
takes the whole path away. Every piece is recorded as it is made, so that
:meth:`Network.tear_down` undoes exactly what was done, also after an error.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

PREFIX = "10.200.77"  # a /24 used only on the bridge below
BRIDGE = "gs-br0"
BRIDGE_ADDRESS = f"{PREFIX}.1"


def ip(*arguments: str, namespace: str | None = None) -> None:
    """Run one ``ip`` command (in ``namespace`` if given), failing loudly."""
    command = ["ip", *(["-n", namespace] if namespace else []), *arguments]
    subprocess.run(command, check=True, capture_output=True, text=True)


def stop_group(process: subprocess.Popen, sig: int = signal.SIGTERM, wait: float = 5) -> None:
    """Signal a process started with ``start_new_session`` and all it forked (socat's
    children, gunicorn's workers); SIGKILL what is left after ``wait`` seconds."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, sig)
        process.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=wait)
    except ProcessLookupError:
        pass


class Network:
    """The bridge, the namespaces and the forwards, undone in reverse by tear_down."""

    def __init__(self, hosts: int, forwards: dict[str, int]) -> None:
        self.hosts = hosts
        self.forwards = forwards  # name: port on 127.0.0.1, forwarded from the bridge
        self.namespaces: list[str] = []
        self.links: list[str] = []
        self.processes: list[subprocess.Popen] = []

    def address(self, host: int) -> str:
        """Return app host ``host``'s (0-based) address on the bridge."""
        return f"{PREFIX}.{host + 2}"

    def namespace(self, host: int) -> str:
        return f"gs-app{host + 1}"

    def set_up(self) -> None:
        """Make the bridge, one namespace and veth pair per host, and the forwards."""
        leftovers = [name for name in self.names() if name in _existing_namespaces()]
        if leftovers or Path(f"/sys/class/net/{BRIDGE}").exists():
            raise RuntimeError(f"left over from an earlier run: {leftovers or BRIDGE}; "
                               "remove them (ip netns del / ip link del) first")
        ip("link", "add", BRIDGE, "type", "bridge")
        self.links.append(BRIDGE)
        ip("addr", "add", f"{BRIDGE_ADDRESS}/24", "dev", BRIDGE)
        ip("link", "set", BRIDGE, "up")
        for host in range(self.hosts):
            self._add_host(host)
        for port in self.forwards.values():
            self.processes.append(subprocess.Popen(
                ["socat", f"TCP-LISTEN:{port},bind={BRIDGE_ADDRESS},reuseaddr,fork,backlog=256",
                 f"TCP:127.0.0.1:{port}"], start_new_session=True))
        time.sleep(0.3)
        for process in self.processes:
            if process.poll() is not None:
                raise RuntimeError("socat did not start (is the port on the bridge taken?)")

    def _add_host(self, host: int) -> None:
        namespace, outside = self.namespace(host), f"gs-veth{host + 1}"
        ip("netns", "add", namespace)
        self.namespaces.append(namespace)
        # Deleting the namespace deletes the pair, so only the namespace is recorded.
        ip("link", "add", outside, "type", "veth", "peer", "name", "eth0", "netns", namespace)
        ip("link", "set", outside, "master", BRIDGE)
        ip("link", "set", outside, "up")
        ip("addr", "add", f"{self.address(host)}/24", "dev", "eth0", namespace=namespace)
        ip("link", "set", "eth0", "up", namespace=namespace)
        ip("link", "set", "lo", "up", namespace=namespace)

    def names(self) -> list[str]:
        return [self.namespace(host) for host in range(self.hosts)]

    def run_in(self, host: int, command: list[str], **popen) -> subprocess.Popen:
        """Start ``command`` inside host ``host``'s namespace, in a session of its own
        (so that its whole process group can be killed at once)."""
        return subprocess.Popen(["ip", "netns", "exec", self.namespace(host), *command],
                                start_new_session=True, **popen)

    def tear_down(self) -> None:
        """Stop the forwards, delete the namespaces (their veth pairs go with them) and the
        bridge; go on past each failure so that the rest is still removed."""
        for process in reversed(self.processes):
            stop_group(process)
        for namespace in reversed(self.namespaces):
            _quietly("netns", "del", namespace)
        for link in reversed(self.links):
            if Path(f"/sys/class/net/{link}").exists():
                _quietly("link", "del", link)
        self.processes, self.namespaces, self.links = [], [], []


def _existing_namespaces() -> set[str]:
    output = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    return {line.split()[0] for line in output.splitlines() if line.strip()}


def _quietly(*arguments: str) -> None:
    try:
        ip(*arguments)
    except subprocess.CalledProcessError as error:
        print(f"cleanup: ip {' '.join(arguments)}: {error.stderr.strip()}", flush=True)
