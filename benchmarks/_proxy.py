"""HAProxy in front of the app hosts, run from a generated configuration.

Not the system service: the benchmark writes its own configuration into a temporary
directory and runs ``haproxy`` in the foreground (``-db``), bound to 127.0.0.1 only.
Each app host is checked with an HTTP request every ``CHECK_MS``; two failures in a row
take it out of rotation. A request whose connection to a host fails is sent to another
host (``retries`` + ``option redispatch 1``, and the host is marked down at once:
``observe layer4``): HAProxy resends only a request it could not deliver, so nothing is
answered twice. A request already sent to a host that dies is not
resent, and its client sees a 502: those are the errors in flight the benchmark counts.
The runtime socket lets the benchmark take a host out of rotation and back
(``disable server`` / ``enable server``) to compare one host and two in one run.
"""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

CHECK_MS = 300
HEADERS = "hdr Host 127.0.0.1 hdr Accept application/json"  # the health check's
# Passive checks too: a refused connection takes the host out at once, not at the next
# health check, so that requests sent meanwhile go to another host instead of failing.
PASSIVE = "observe layer4 error-limit 1 on-error mark-down"

CONFIG = """\
global
    maxconn 1024
    stats socket {socket} mode 600 level admin

defaults
    mode http
    timeout connect 1s
    timeout client 60s
    timeout server 60s
    retries 2
    option redispatch 1
    option http-keep-alive
    option forwardfor

frontend web
    bind 127.0.0.1:{port}
    http-after-response set-header X-App-Host "%[srv_name]"
    default_backend app

backend app
    balance roundrobin
    option httpchk
    http-check send meth GET uri {health} ver HTTP/1.1 {headers}
    http-check expect status 200
    default-server check inter {check_ms} fall 2 rise 2 maxconn {maxconn} {passive}
{servers}
"""


class Proxy:
    """One HAProxy process and its runtime socket."""

    def __init__(self, directory: Path, port: int, servers: dict[str, str], health: str,
                 maxconn: int) -> None:
        self.socket = directory / "haproxy.sock"
        self.config = directory / "haproxy.cfg"
        lines = "\n".join(f"    server {name} {address}" for name, address in servers.items())
        self.config.write_text(CONFIG.format(
            socket=self.socket, port=port, health=health, headers=HEADERS, check_ms=CHECK_MS,
            maxconn=maxconn, passive=PASSIVE, servers=lines))
        self.process: subprocess.Popen | None = None

    def start(self) -> subprocess.Popen:
        subprocess.run(["haproxy", "-c", "-q", "-f", str(self.config)], check=True)
        self.process = subprocess.Popen(["haproxy", "-db", "-f", str(self.config)],
                                        start_new_session=True, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not self.socket.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("haproxy did not start")
            time.sleep(0.1)
        return self.process

    def command(self, line: str) -> str:
        """Send one command to HAProxy's runtime API; return its answer."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.connect(str(self.socket))
            connection.sendall(line.encode() + b"\n")
            chunks = []
            while chunk := connection.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def states(self) -> dict[str, str]:
        """Return each server's state as HAProxy sees it (UP, DOWN, MAINT...)."""
        lines = self.command("show stat").splitlines()
        header = lines[0].lstrip("# ").split(",")
        rows = [dict(zip(header, line.split(","), strict=False)) for line in lines[1:] if line]
        return {row["svname"]: row["status"] for row in rows
                if row.get("pxname") == "app" and row["svname"] not in ("FRONTEND", "BACKEND")}

    def wait_for(self, wanted: dict[str, str], timeout: float = 30) -> None:
        """Wait until the servers named are in the states given (by prefix: "UP")."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            states = self.states()
            if all(states.get(name, "").startswith(state) for name, state in wanted.items()):
                return
            time.sleep(0.1)
        raise RuntimeError(f"haproxy servers not {wanted}: {self.states()}")

    def set_server(self, name: str, *, enabled: bool) -> None:
        self.command(f"{'enable' if enabled else 'disable'} server app/{name}")
