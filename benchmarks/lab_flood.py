"""Lesson-page latency without and during a flood of uncached lab and simulation requests.

Starts, on PostgreSQL and Redis, gunicorn (``--workers`` gthread workers) and one Celery
worker (``--concurrency`` processes) taking jobs from a queue of this run's own (the
site's is ``simulations``; another name keeps a shared broker's jobs apart). Then, in
one run:

1. *quiet*: ``--probes`` clients read a lesson page (new connection each, as a browser's
   first request) for ``--seconds``;
2. *flood*: the same, while ``--flooders`` clients ask for uncached work, one after the
   other: API runs and PNG plots of gradient flow and lab pages, each with a new seed (so
   nothing is cached), at about the costliest size an anonymous visitor may run. Each
   behaves as the app does: it polls a 202's job every second until it is done, and
   waits what a 503's or 429's Retry-After says (``--hammer``: it never waits);
3. *quiet* again, to see the machine did not drift.

It prints p50 and p99 of the lesson page in each phase, the ratio of the flood's p99 to
the quiet one's (goal: at most 2), and how the flood was answered (200: done within the
request's wait, 202: queued, 503: queue full, 429: throttled; and how many jobs
finished while polled). The flood comes from one
address: the anonymous rate of new runs would turn nearly all of it into 429s, so the
run raises that rate (``--throttle``) to measure the queue itself, the case of many
addresses. ``--inline`` also measures the flood with no broker (the work in the request,
as before the queue), for comparison. Stops by itself; every process it started is
stopped at the end.

    python benchmarks/lab_flood.py [--database postgres://postgres@127.0.0.1:5432/gradiente_bench_lab_flood]
        [--redis redis://127.0.0.1:6379/0] [--broker URL] [--seconds 20] [--inline]
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import datetime as dt
import http.client
import itertools
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import _server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/gradiente_bench_lab_flood"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
SERVER_ENV = _server.SERVER_ENV
# Within the anonymous cost cap (a quarter of gradient flow's bound): 15 x 256^2 x 192.
FLOOD_PARAMS = "depth=15&width=256&batch_size=128&activation=sigmoid"
FLOOD_URLS = (
    "/api/v1/simulations/mlp_gradient_flow/run/?" + FLOOD_PARAMS + "&seed={seed}",
    "/api/v1/simulations/mlp_gradient_flow/plot.png?" + FLOOD_PARAMS + "&seed={seed}",
    "/en/lab/mlp_gradient_flow/?" + FLOOD_PARAMS + "&seed={seed}",
)


def create_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                  [name]).fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare(database: str) -> str:
    """Collect the static files, migrate and import the course; return the path of the
    course's first lesson page."""
    from django.core.management import call_command
    from django.urls import reverse
    from django.utils import translation

    from course.models import Lesson

    create_database(database)
    call_command("collectstatic", interactive=False, verbosity=0)  # pages read the manifest
    call_command("migrate", verbosity=0)
    call_command("import_course", str(ROOT / "content"), verbosity=0)
    lesson = Lesson.objects.filter(course__slug="redes-neurais").in_reading_order().first()
    with translation.override("pt-br"):
        return reverse("classroom:lesson_detail", kwargs={
            "course_slug": lesson.course.slug, "lesson_slug": lesson.slug})


def fetch(port: int, path: str) -> tuple[float, int]:
    """GET ``path`` on a new connection; return (seconds, status)."""
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers={"Accept-Language": "pt-br"})
        response = connection.getresponse()
        response.read()
        return time.perf_counter() - start, response.status
    finally:
        connection.close()


def wait_until_up(port: int, path: str, processes: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if any(process.poll() is not None for process in processes):
            raise RuntimeError("a server process exited; see its output above")
        try:
            if fetch(port, path)[1] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer in time")


def probe(port: int, path: str, stop: threading.Event, times: list[float]) -> None:
    while not stop.is_set():
        seconds, status = fetch(port, path)
        if status != 200:
            raise RuntimeError(f"the lesson page answered {status}")
        times.append(seconds)


seeds = itertools.count(1_000_000 * (os.getpid() % 1000))


def get(port: int, path: str) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers={"Accept-Language": "en"})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def flood(port: int, stop: threading.Event, statuses: collections.Counter,
          hammer: bool) -> None:
    """Ask for uncached work again and again. As a client does, by default: poll a 202's
    job until it is done, wait what Retry-After says; with ``hammer``, never wait."""
    for number in itertools.count():
        if stop.is_set():
            return
        url = FLOOD_URLS[number % len(FLOOD_URLS)].format(seed=next(seeds))
        try:
            status, headers, body = get(port, url)
            statuses[status] += 1
            if hammer:
                continue
            if status in (429, 503):
                stop.wait(float(headers.get("Retry-After", 1)))
            elif status == 202 and "Location" in headers:
                _poll(port, headers["Location"], stop, statuses)
            elif status == 202:  # the lab's page that reloads itself
                while status == 202 and not stop.wait(2):
                    status = get(port, url)[0]
        except OSError:
            statuses["error"] += 1


def _poll(port: int, job: str, stop: threading.Event, statuses: collections.Counter) -> None:
    while not stop.wait(1):
        status, _headers, body = get(port, job)
        if status != 200 or json.loads(body)["status"] != "pending":
            statuses["jobs finished"] += 1
            return


def phase(port: int, lesson: str, *, seconds: float, probes: int, flooders: int,
          hammer: bool = False):
    """Run probers (and flooders) for ``seconds``; return lesson times and flood statuses."""
    stop = threading.Event()
    times: list[float] = []
    statuses: collections.Counter = collections.Counter()
    threads = [threading.Thread(target=probe, args=(port, lesson, stop, times))
               for _ in range(probes)]
    threads += [threading.Thread(target=flood, args=(port, stop, statuses, hammer))
                for _ in range(flooders)]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=90)
    return times, statuses


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def describe(name: str, times: list[float], statuses: collections.Counter) -> str:
    flood = ", ".join(f"{status}: {count}" for status, count in sorted(
        statuses.items(), key=lambda item: str(item[0]))) or "none"
    return (f"{name:<22} lesson n={len(times):5d}  p50 {1000 * statistics.median(times):7.1f} ms"
            f"  p99 {1000 * percentile(times, 0.99):7.1f} ms   flood answers: {flood}")


def start(command: list[str], env: dict[str, str]) -> subprocess.Popen:
    # A session of its own, so that stopping it stops its children (gunicorn's workers,
    # the worker's pool) and nothing else.
    return subprocess.Popen(command, env={**os.environ, **env}, cwd=ROOT,
                            start_new_session=True)


def stop(process: subprocess.Popen) -> None:
    """SIGTERM the leader (gunicorn and Celery stop their children), then, if anything of
    its session is left after 20 s, SIGKILL the session."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def measure(options, env: dict[str, str], lesson: str, *, queued: bool) -> list[float]:
    """Start the servers, run quiet / flood / quiet, print; return the three p99s."""
    queue = f"lab-flood-{uuid.uuid4().hex[:8]}"
    env = {**env, "CACHE_KEY_PREFIX": f"bench-flood-{uuid.uuid4().hex[:8]}",
           "SIMULATION_QUEUE": queue, "CELERY_BROKER_URL": options.broker if queued else "",
           "SIMULATIONS_ANON_THROTTLE_RATE": options.throttle}
    processes = [start([sys.executable, "-m", "gunicorn", "config.wsgi", "--workers",
                        str(options.workers), "--worker-class", "gthread", "--threads",
                        str(options.threads), "--bind", f"127.0.0.1:{options.port}",
                        "--log-level", "warning"], env)]
    if queued:
        processes.append(start(["nice", "-n", str(options.worker_nice), sys.executable,
                                "-m", "celery", "-A", "config", "worker",
                                "-Q", queue, "--concurrency", str(options.concurrency),
                                "--without-gossip", "--without-mingle", "--without-heartbeat",
                                "--loglevel", "warning"], env))
    try:
        wait_until_up(options.port, lesson, processes)
        for _ in range(20):  # every worker thread opens its connections: not measured
            fetch(options.port, lesson)
        label = "queued (Celery)" if queued else "inline (no broker)"
        results = []
        for name, flooders in (("quiet", 0), ("flood", options.flooders), ("quiet again", 0)):
            times, statuses = phase(options.port, lesson, seconds=options.seconds,
                                    probes=options.probes, flooders=flooders,
                                    hammer=options.hammer)
            print(describe(f"{label}, {name}", times, statuses), flush=True)
            results.append(percentile(times, 0.99))
        return results
    finally:
        for process in reversed(processes):
            stop(process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--redis", default=DEFAULT_REDIS)
    parser.add_argument("--broker", help="CELERY_BROKER_URL (default: the Redis URL)")
    parser.add_argument("--seconds", type=float, default=20, help="per phase")
    parser.add_argument("--probes", type=int, default=2, help="clients reading the lesson")
    parser.add_argument("--flooders", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="gthread threads per worker")
    parser.add_argument("--concurrency", type=int, default=1, help="Celery worker processes")
    parser.add_argument("--worker-nice", type=int, default=10,
                        help="niceness of the Celery worker (it shares the web's cores)")
    parser.add_argument("--throttle", default="100000/minute",
                        help="SIMULATIONS_ANON_THROTTLE_RATE during the run")
    parser.add_argument("--hammer", action="store_true",
                        help="flooders ignore Retry-After and never poll")
    parser.add_argument("--inline", action="store_true",
                        help="also measure the flood with the work in the request (no broker)")
    parser.add_argument("--port", type=int, default=8767)
    options = parser.parse_args()
    options.broker = options.broker or options.redis
    env = {**SERVER_ENV, "DATABASE_URL": options.database, "REDIS_URL": options.redis}
    os.environ.update(env)
    import django

    django.setup()
    print(f"preparing {options.database} ...", flush=True)
    lesson = prepare(options.database)
    from django.db import connections

    connections.close_all()
    print(f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, load "
          f"{os.getloadavg()[0]:.2f}; gunicorn {options.workers} gthread workers x "
          f"{options.threads} threads; Celery worker concurrency {options.concurrency} at nice "
          f"{options.worker_nice}; "
          f"{options.probes} lesson readers, {options.flooders} flooders; {options.seconds:g} s "
          f"per phase; lesson {lesson}", flush=True)
    quiet, flooded, quiet_again = measure(options, env, lesson, queued=True)
    print(f"queued: p99 during the flood / quiet p99 = {flooded / quiet:.2f} "
          f"(quiet again: {quiet_again / quiet:.2f}); goal <= 2")
    if options.inline:
        quiet, flooded, _again = measure(options, env, lesson, queued=False)
        print(f"inline: p99 during the flood / quiet p99 = {flooded / quiet:.2f}")


if __name__ == "__main__":
    main()
