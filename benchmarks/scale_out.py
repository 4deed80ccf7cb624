"""Scale-out shown: two app hosts behind HAProxy, one killed mid-load, nothing lost.

Run as root on a machine with PostgreSQL and Redis on 127.0.0.1 (``ip``, ``socat`` and
``haproxy`` from Debian; ``apt-get install haproxy socat``):

    sudo .venv/bin/python benchmarks/scale_out.py [--smoke] [--seconds 8] [--rounds 3]

What it builds, all on this machine and all removed at the end (also on an error,
Ctrl-C or when ``--max-runtime`` runs out):

- a database of its own (``gradiente_scale``, made fresh: migrated, ``import_course``,
  learners with tokens made through the ORM) and a cache key prefix of its own in Redis;
- two app hosts, each a network namespace on a private bridge (``_netns.py``: why and
  how they reach PostgreSQL and Redis through ``socat`` on the bridge's address), each
  running ``gunicorn config.wsgi`` with the settings from the environment, as in
  production (``docs/deploy.md``);
- HAProxy on 127.0.0.1 in front of them, checking each host's health (``_proxy.py``).

Then, through the proxy, a bounded load of lesson reads and answers (``_load.py``):

1. **One host against two**: rounds of the same load, one host in rotation (the other
   put in maintenance through HAProxy's runtime API), then both; requests per second
   of each, the CPU the app processes used, and the median of the rounds' ratios.
2. **A host killed**: the same load with both hosts; halfway, SIGKILL to the gunicorn
   master and workers of host 1 (its whole process group). Clients retry each answer
   with the same ``Idempotency-Key`` until it is acknowledged.

It reports every acknowledged answer against the attempts stored in PostgreSQL under
its key (lost: none stored; duplicated: more than one), and every failed exchange with
its time relative to the kill and whether it was in flight when the kill came.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import _server
from _load import Load, Outcome, classify
from _netns import BRIDGE_ADDRESS, Network, stop_group
from _proxy import Proxy
from _scale_data import create_database, drop_database, forget_cache, prepare, stored_attempts
from api_throughput import _cpu_seconds, _server_cpu, _workers

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATABASE = "postgres://postgres@127.0.0.1:5432/gradiente_scale"
REDIS = "redis://127.0.0.1:6379/5"
APP_PORT = 8000  # inside each namespace
HEALTH = "/api/v1/courses/"  # a read that touches the database, as readiness should
SERVER_ENV = {**_server.SERVER_ENV, "OPENBLAS_NUM_THREADS": "1", "NUM_PROXIES": "1",
              **_server.UNTHROTTLED}


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="a tiny load: a few seconds")
    parser.add_argument("--seconds", type=float, default=8, help="per phase and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=12, help="client threads")
    parser.add_argument("--requests", type=int, default=20000, help="cap per phase")
    parser.add_argument("--learners", type=int, default=48)
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers per host")
    parser.add_argument("--threads", type=int, default=4, help="gthread threads per worker")
    parser.add_argument("--port", type=int, default=8790, help="HAProxy on 127.0.0.1")
    parser.add_argument("--max-runtime", type=int, default=900, help="seconds, in all")
    parsed = parser.parse_args()
    if parsed.smoke:
        parsed.seconds, parsed.rounds, parsed.clients, parsed.learners = 2, 1, 4, 8
        parsed.max_runtime = min(parsed.max_runtime, 300)
    return parsed


# --- the hosts ---------------------------------------------------------------------------


def start_app(network: Network, host: int, env: dict, workers: int, threads: int):
    """Start gunicorn in host ``host``'s namespace, reaching the databases via the bridge."""
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--chdir", str(ROOT),
               "--workers", str(workers), "--worker-class", "gthread",
               "--threads", str(threads), "--bind", f"{network.address(host)}:{APP_PORT}",
               "--log-level", "warning"]
    return network.run_in(host, command, env=env)


def throughput(outcome: Outcome, seconds: float) -> float:
    """Return the acknowledged requests (2xx) per second of one phase."""
    return sum(200 <= ex.status < 300 for ex in outcome.exchanges) / seconds


def compare(load: Load, proxy: Proxy, apps: list, opts) -> dict:
    """Run rounds of one host, then two; return the rates, their ratio and the CPU the
    app processes and PostgreSQL used (in cores: CPU seconds per second)."""
    rates: dict[int, list[float]] = {1: [], 2: []}
    cores: dict[int, list[tuple[float, float]]] = {1: [], 2: []}
    failed = 0
    for _round in range(opts.rounds):
        for hosts in (1, 2):
            proxy.set_server("app2", enabled=hosts == 2)
            proxy.wait_for({"app1": "UP", "app2": "UP" if hosts == 2 else "MAINT"})
            app_before, db_before = app_cpu(apps), db_cpu()
            outcome = load.run(seconds=opts.seconds, requests=opts.requests,
                               threads=opts.clients)
            cores[hosts].append(((app_cpu(apps) - app_before) / opts.seconds,
                                 sum(db_cpu(db_before).values()) / opts.seconds))
            rates[hosts].append(throughput(outcome, opts.seconds))
            failed += sum(not 200 <= ex.status < 300 for ex in outcome.exchanges)
            app, db = cores[hosts][-1]
            print(f"  {hosts} host(s): {rates[hosts][-1]:.1f} requests/s; cores used by the "
                  f"app {app:.2f}, PostgreSQL {db:.2f}; app CPU per request "
                  f"{1000 * app / max(rates[hosts][-1], 1e-9):.1f} ms", flush=True)
    # The ratio is taken per round (two hosts against one just before), then the median:
    # the machine's other load changes less within a round than across the run.
    ratio = statistics.median(two / one for one, two in zip(rates[1], rates[2], strict=True))
    used = {hosts: statistics.median(app for app, _db in cores[hosts]) for hosts in (1, 2)}
    return {"rates": rates, "one": statistics.median(rates[1]),
            "two": statistics.median(rates[2]), "ratio": ratio, "failed": failed,
            "cores": used}


def app_cpu(apps: list) -> float:
    """Return the CPU seconds used so far by the app hosts' gunicorn processes."""
    pids = [pid for app in apps if app.poll() is None for pid in [app.pid, *_workers(app.pid)]]
    return _cpu_seconds(pids)


def db_cpu(before: dict[int, float] | None = None) -> dict[int, float]:
    """Return PostgreSQL's CPU seconds by process; with ``before``, those since then (a
    backend that ended meanwhile is left out, as in api_throughput.py)."""
    now = _server_cpu()["db"]
    return {pid: seconds - (before or {}).get(pid, 0.0) for pid, seconds in now.items()}


def kill_midway(load: Load, proxy: Proxy, app, opts) -> tuple[Outcome, float, float]:
    """Run the load on both hosts and SIGKILL host 1's process group halfway through;
    return the load's outcome, when the kill came and when HAProxy took host 1 out."""
    proxy.set_server("app2", enabled=True)
    proxy.wait_for({"app1": "UP", "app2": "UP"})
    seconds = 2 * opts.seconds
    result: dict = {}
    runner = threading.Thread(target=lambda: result.update(outcome=load.run(
        seconds=seconds, requests=opts.requests, threads=opts.clients)))
    runner.start()
    time.sleep(seconds / 2)
    killed_at = time.monotonic()
    os.killpg(app.pid, signal.SIGKILL)  # the master and its workers, without warning
    proxy.wait_for({"app1": "DOWN"}, timeout=seconds)
    down_at = time.monotonic()
    runner.join()
    app.wait()
    return result["outcome"], killed_at, down_at


def report(comparison: dict, outcome: Outcome, killed_at: float, down_at: float,
           stored: dict) -> bool:
    """Print the figures; return whether nothing was lost, doubled or failed unexplained."""
    lost = sum(stored[key] == 0 for key in outcome.acknowledged)
    duplicated = sum(count > 1 for count in stored.values())
    failed = classify(outcome, killed_at, down_at)
    print(f"\n== one host against two (load average {os.getloadavg()[0]:.1f}) ==")
    print(f"requests/s (median of {len(comparison['rates'][1])} rounds): one host "
          f"{comparison['one']:.1f}, two hosts {comparison['two']:.1f}, "
          f"ratio (median of the rounds' ratios) {comparison['ratio']:.2f}x; cores used by "
          f"the app (median) {comparison['cores'][1]:.2f} and {comparison['cores'][2]:.2f}; "
          f"failed exchanges: {comparison['failed']}")
    print("\n== host 1 killed mid-load ==")
    served = {host: sum(ex.host == host for ex in outcome.exchanges) for host in ("app1", "app2")}
    print(f"exchanges {len(outcome.exchanges)} (served by app1 {served['app1']}, "
          f"app2 {served['app2']}); answers acknowledged {len(outcome.acknowledged)}, "
          f"given up {len(outcome.abandoned)}")
    print(f"attempts stored under the acknowledged keys: {sum(stored.values())}; "
          f"lost {lost}; duplicated {duplicated}")
    print(f"HAProxy took host 1 out {1000 * (down_at - killed_at):.0f} ms after the kill")
    print(f"failed exchanges: in flight on host 1 when it died {len(failed['in flight'])}; "
          f"retries of those answers {len(failed['retries of those'])} (acknowledged "
          f"{', '.join(f'{s:.1f}' for s in failed['recovered after'])} s after the kill); "
          f"other {len(failed['other'])}")
    for ex in sorted(failed["in flight"] + failed["other"], key=lambda ex: ex.started):
        print(f"  {ex.kind:6} status {ex.status or 'no response'} via {ex.host or '-'}: "
              f"sent {1000 * (ex.started - killed_at):+.0f} ms, "
              f"ended {1000 * (ex.ended - killed_at):+.0f} ms from the kill")
    return not (lost or duplicated or outcome.abandoned or failed["other"]
                or comparison["failed"])


def run(opts, directory: Path, cleanup: list) -> bool:
    """Set everything up, registering how to undo each piece in ``cleanup``."""
    prefix = f"scale-{uuid.uuid4().hex[:8]}"
    env = {**SERVER_ENV, "DATABASE_URL": DATABASE, "REDIS_URL": REDIS,
           "CACHE_KEY_PREFIX": prefix}
    os.environ.update(env)
    import django

    create_database(DATABASE)
    cleanup.append(lambda: drop_database(DATABASE))
    cleanup.append(lambda: forget_cache(REDIS, prefix))
    django.setup()
    print("preparing the database (migrate, import_course, learners) ...", flush=True)
    data = prepare(opts.learners)
    from django.db import connections

    connections.close_all()
    cleanup.append(connections.close_all)  # before the database is dropped
    network = Network(hosts=2, forwards={"postgres": 5432, "redis": 6379})
    cleanup.append(network.tear_down)
    network.set_up()
    inside = {**os.environ, **env,
              "DATABASE_URL": DATABASE.replace("127.0.0.1", BRIDGE_ADDRESS),
              "REDIS_URL": REDIS.replace("127.0.0.1", BRIDGE_ADDRESS)}
    apps = [start_app(network, host, inside, opts.workers, opts.threads) for host in (0, 1)]
    cleanup.extend(lambda app=app: stop_group(app) for app in apps)
    proxy = Proxy(directory, opts.port, {f"app{host + 1}": f"{network.address(host)}:{APP_PORT}"
                                         for host in (0, 1)},
                  health=HEALTH, maxconn=opts.workers * opts.threads)
    cleanup.append(lambda: proxy.process and stop_group(proxy.process))
    proxy.start()
    proxy.wait_for({"app1": "UP", "app2": "UP"}, timeout=120)
    load = Load(opts.port, data["tokens"], data["lesson"], data["answers"])
    cleanup.append(load.stop)  # first: no client may wait on what is being removed
    print("warming (each learner's variants) ...", flush=True)
    load.run(seconds=120, requests=4 * len(data["tokens"]), threads=opts.clients)
    print("one host against two ...", flush=True)
    comparison = compare(load, proxy, apps, opts)
    print("killing host 1 halfway through a run on both ...", flush=True)
    outcome, killed_at, down_at = kill_midway(load, proxy, apps[0], opts)
    passed = report(comparison, outcome, killed_at, down_at,
                    stored_attempts(list(outcome.acknowledged)))
    print("\nRESULT:", "PASS" if passed else "FAIL", flush=True)
    return passed


def main() -> None:
    opts = options()
    if os.geteuid() != 0:
        sys.exit("Run as root: it creates network namespaces.")
    missing = [tool for tool in ("ip", "socat", "haproxy") if not shutil.which(tool)]
    if missing:
        sys.exit(f"Missing: {', '.join(missing)} (apt-get install -y {' '.join(missing)})")

    def stop(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGALRM):
        signal.signal(signum, stop)
    signal.alarm(opts.max_runtime)  # a bound on the whole run, set-up included
    cleanup: list = []
    try:
        with tempfile.TemporaryDirectory(prefix="scale-out-") as directory:
            try:
                passed = run(opts, Path(directory), cleanup)
            finally:
                signal.alarm(0)
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # let the cleanup finish
                for undo in reversed(cleanup):
                    try:
                        undo()
                    except Exception as error:  # noqa: BLE001 (report it, undo the rest)
                        print(f"cleanup: {error!r}", flush=True)
    except KeyboardInterrupt as interrupt:
        sys.exit(f"stopped ({interrupt}); everything made was removed")
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
