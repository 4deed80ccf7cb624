"""Helpers for tests that run the project (or a service) in processes of their own."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    """Wait until ``process`` accepts connections on ``port``; raise if it exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process on port {port} exited: "
                               f"{_output(getattr(process, 'log', None) or process.stderr)}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing served on port {port}")


def request_json(port: int, path: str, *, body: dict | None = None, headers=None,
                 method: str | None = None, timeout: float = 10) -> tuple[int, dict, dict]:
    """Send a request (JSON body if any); return status, headers and the JSON body."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", method=method or ("POST" if body is not None
                                                            else "GET"),
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Accept-Language": "en",
                 **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, dict(response.headers), _json(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), _json(error.read())


def _output(stream) -> str:
    if stream is None:
        return ""
    if hasattr(stream, "seek"):  # a file: read it from the start
        stream.seek(0)
    return stream.read()


def _json(content: bytes) -> dict:
    try:
        return json.loads(content)
    except ValueError:
        return {"text": content.decode(errors="replace")}


@contextlib.contextmanager
def gunicorn(env: dict[str, str], *, app: str = "config.wsgi", workers: int = 1,
             pythonpath: str | None = None, timeout: float = 60):
    """Run the project under gunicorn on a free port; yield (port, process)."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}",
               "--workers", str(workers), "--log-level", "warning"]
    if pythonpath:
        command += ["--pythonpath", pythonpath]
    # The log goes to a file: a pipe nobody reads would block the workers once full.
    log = tempfile.TemporaryFile("w+")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings",
                                "DEBUG": "0", "SECURE_SSL_REDIRECT": "0",
                                "ALLOWED_HOSTS": "127.0.0.1", **env},
        stdout=subprocess.DEVNULL, stderr=log, text=True)
    process.log = log
    try:
        wait_until_serving(port, process, timeout)
        _wait_until_answering(port, process, timeout)
        yield port, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


def _wait_until_answering(port: int, process: subprocess.Popen, timeout: float) -> None:
    """Wait for a worker to answer (the master listens before its workers are booted)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if request_json(port, "/healthz", timeout=timeout)[0] == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"gunicorn on port {port} does not answer: {read_log(process)}")


def read_log(process: subprocess.Popen) -> str:
    """Return what a process started by :func:`gunicorn` has logged so far."""
    return _output(process.log)


class RedisServer:
    """A ``redis-server`` of a test's own, on a spare port, that the test can kill and
    start again on the same port (as an operator's restart would)."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wait_until_serving(self.port, self.process, timeout=10)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@contextlib.contextmanager
def celery_worker(env: dict[str, str], *, queue: str):
    """Run one Celery worker of the project (solo pool: one process, so a SIGKILL kills
    all of it) taking jobs from ``queue``; yield the process."""
    log = tempfile.TemporaryFile("w+")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue,
         "--pool", "solo", "--without-gossip", "--without-mingle", "--without-heartbeat",
         "--loglevel", "warning"],
        cwd=ROOT, env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        stdout=subprocess.DEVNULL, stderr=log, text=True)
    process.log = log
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        log.close()
