"""CPU time per request with and without the metrics middleware, side by side in one run.

Two Django WSGI handlers in one process, identical but for
``ops.request_metrics.RequestMetricsMiddleware``, answer the same requests, called
directly (no socket, no server: what is left is the request's own work, so the
middleware's share is as large as it can be). Targets:

- ``healthz``: the liveness check, the cheapest view there is (the worst case);
- ``plot``: a cached lab plot (``/api/v1/simulations/activations/plot.svg``): DRF, the
  API's middleware, one cache read; a typical cached API request.

A third line, ``alone``, times the middleware by itself around a view that returns at
once (a request already resolved to the lesson page's pattern): its own cost per
request, without the noise of a whole request around it.

Blocks of ``--requests`` requests alternate between the handlers, ``--repeats`` times;
each block is timed with the process CPU clock (other work on the machine does not
count), and the medians are compared. A second handler without the middleware runs in
the same rotation: its difference from the first ("noise (A/A)") is what the
measurement cannot tell apart. Each mode runs in a process of its own,
since prometheus_client chooses its mode at import:

- ``multiprocess``: ``PROMETHEUS_MULTIPROC_DIR`` set, as under gunicorn (each
  observation is written to a memory-mapped file);
- ``process``: values in this process's memory (runserver, one process).

    python benchmarks/metrics_overhead.py
    python benchmarks/metrics_overhead.py --requests 2000 --repeats 15
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIDDLEWARE = "ops.request_metrics.RequestMetricsMiddleware"
TARGETS = {
    "healthz": "/healthz",
    "plot": "/api/v1/simulations/activations/plot.svg?seed=1&lang=en",
}
MODES = ("multiprocess", "process")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--requests", type=int, default=1000, help="requests per block")
    parser.add_argument("--repeats", type=int, default=11, help="blocks per side")
    parser.add_argument("--mode", choices=MODES, help="measure one mode, in this process")
    args = parser.parse_args()
    if args.mode:
        print(json.dumps(measure(args.requests, args.repeats)))
        return
    print(f"Python {sys.version.split()[0]}, {args.repeats} blocks of {args.requests} "
          f"requests per side, process CPU time, medians")
    print("| mode | target | without | with | overhead | ratio | noise (A/A) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for mode in MODES:
        for target, row in run_mode(mode, args.requests, args.repeats).items():
            without, with_ = row["without"] * 1e6, row["with"] * 1e6
            ratio, noise = "-", "-"
            if "again" in row:
                ratio = f"{with_ / without:.3f}×"
                noise = f"{row['again'] * 1e6 - without:+.1f} µs"
            print(f"| {mode} | {target} | {without:.1f} µs | {with_:.1f} µs | "
                  f"{with_ - without:+.1f} µs | {ratio} | {noise} |")


def run_mode(mode: str, requests: int, repeats: int) -> dict:
    """Measure ``mode`` in a new Python process (its environment set before any import)."""
    with tempfile.TemporaryDirectory(prefix="metrics-bench-") as folder:
        environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings",
                       "SECRET_KEY": "benchmark", "DEBUG": "0", "SECURE_SSL_REDIRECT": "0",
                       "ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "WARNING",
                       "METRICS_TOKEN": "", "CELERY_BROKER_URL": ""}
        environment.pop("PROMETHEUS_MULTIPROC_DIR", None)
        if mode == "multiprocess":
            environment["PROMETHEUS_MULTIPROC_DIR"] = folder
        result = subprocess.run(
            [sys.executable, __file__, "--mode", mode, "--requests", str(requests),
             "--repeats", str(repeats)],
            env=environment, cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure(requests: int, repeats: int) -> dict:
    """Return {target: {"with": s, "without": s}}, median CPU seconds per request."""
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.test.utils import override_settings

    django.setup()
    assert MIDDLEWARE in settings.MIDDLEWARE
    with_metrics = WSGIHandler()
    with override_settings(MIDDLEWARE=[name for name in settings.MIDDLEWARE
                                       if name != MIDDLEWARE]):
        without_metrics, without_again = WSGIHandler(), WSGIHandler()
    # Two identical handlers without the middleware: their difference is the noise floor.
    handlers = {"with": with_metrics, "without": without_metrics, "again": without_again}
    results = {}
    for target, url in TARGETS.items():
        for handler in handlers.values():  # warm: the plot drawn and cached, imports done
            for _ in range(50):
                call(handler, url)
        blocks: dict[str, list[float]] = {name: [] for name in handlers}
        for repeat in range(repeats):
            # Rotate which side goes first, so a drift in the machine hits all alike.
            names = list(handlers)
            order = names[repeat % 3:] + names[:repeat % 3]
            for name in order:
                started = time.process_time()
                for _ in range(requests):
                    call(handlers[name], url)
                blocks[name].append((time.process_time() - started) / requests)
        results[target] = {name: statistics.median(times) for name, times in blocks.items()}
    results["alone"] = measure_alone(requests * 10, repeats)
    return results


def measure_alone(calls: int, repeats: int) -> dict:
    """Return median CPU seconds per call of a resolved request's view, with and without
    the middleware around it."""
    from django.http import HttpResponse
    from django.test import RequestFactory
    from django.urls import resolve
    from django.utils import translation

    from ops.request_metrics import RequestMetricsMiddleware

    request = RequestFactory().get("/pt-br/courses/course/lesson/")
    with translation.override("pt-br"):
        request.resolver_match = resolve(request.path)
    response = HttpResponse("ok")

    def view(_request):
        return response

    sides = {"with": RequestMetricsMiddleware(view), "without": view}
    blocks: dict[str, list[float]] = {name: [] for name in sides}
    for repeat in range(repeats):
        order = list(sides) if repeat % 2 == 0 else list(reversed(sides))
        for name in order:
            answer = sides[name]
            started = time.process_time()
            for _ in range(calls):
                answer(request)
            blocks[name].append((time.process_time() - started) / calls)
    return {name: statistics.median(times) for name, times in blocks.items()}


def call(handler, url: str) -> None:
    path, _, query = url.partition("?")
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query,
               "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1",
               "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""),
               "wsgi.errors": sys.stderr}
    statuses = []
    response = handler(environ, lambda status, headers, exc_info=None: statuses.append(status))
    b"".join(response)
    response.close()
    if not statuses[0].startswith("200"):
        raise RuntimeError(f"{url} answered {statuses[0]}")


if __name__ == "__main__":
    main()
