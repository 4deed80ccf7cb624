"""A cached plot request against a trivial view on the same server, and cold lesson plots.

Part 1 starts one real gunicorn server (one sync worker, so its local-memory cache is
the one every request sees; with REDIS_URL set the cache is Redis) running the whole
project, with one extra URL, ``/bench/trivial/``: a view that returns "ok" through the
same middleware. After one warm-up request per URL it sends, alternating the two so
that both see the same machine state, N requests to the trivial view and N requests
for a cached PNG plot (the image comes from the cache: no simulation, no drawing),
each on a new connection as a browser's first request would, and prints the median
and 90th-percentile latencies and the ratio of the medians (goal: at most 1.5).

Part 2 draws every lesson figure declared under content/ cold (empty cache: the
simulations run, then matplotlib draws the PNG), in this process, and prints the median
of a few repeats of each part and of the whole.

    python benchmarks/plot_serving.py [--requests 400] [--repeats 3] [--port 8765]

As a gunicorn app (what part 1 starts): ``plot_serving:application`` with
``--pythonpath benchmarks``.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import _server
from _server import project_with_routes

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PLOT_URL = "/api/v1/simulations/mlp_gradient_flow/plot.png?depth=20&activation=sigmoid&lang=en"
TRIVIAL_URL = "/bench/trivial/"
SERVER_ENV = _server.SERVER_ENV


def trivial(request):
    from django.http import HttpResponse

    return HttpResponse(b"ok", content_type="text/plain")


# The project with /bench/trivial/ in front of its URLs (see _server.py).
__getattr__ = project_with_routes(__name__, {TRIVIAL_URL.strip("/") + "/": lambda: trivial})


def fetch(port: int, url: str) -> tuple[float, int, int]:
    """GET ``url`` on a new connection; return (seconds, status, body size)."""
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", url, headers={"Accept": "image/png,*/*"})
    response = connection.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - start
    connection.close()
    return elapsed, response.status, len(body)


def wait_until_up(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited; see its output above")
        try:
            fetch(port, TRIVIAL_URL)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start in time")


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p90 = ordered[int(0.9 * (len(ordered) - 1))]
    return f"median {1000 * statistics.median(times):6.2f} ms   p90 {1000 * p90:6.2f} ms"


def bench_serving(requests: int, port: int) -> None:
    env = {**os.environ, **SERVER_ENV}
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--chdir",
        str(ROOT),
        "--pythonpath",
        str(ROOT / "benchmarks"),
        "--workers",
        "1",
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "plot_serving:application",
    ]
    server = subprocess.Popen(command, env=env)
    try:
        wait_until_up(port, server)
        for url in (TRIVIAL_URL, PLOT_URL):  # the first plot request runs and draws
            _seconds, status, _size = fetch(port, url)
            assert status == 200, (url, status)
        trivial_times, plot_times, plot_size = [], [], 0
        for _ in range(requests):
            seconds, status, _size = fetch(port, TRIVIAL_URL)
            assert status == 200
            trivial_times.append(seconds)
            seconds, status, plot_size = fetch(port, PLOT_URL)
            assert status == 200
            plot_times.append(seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)
    ratio = statistics.median(plot_times) / statistics.median(trivial_times)
    print(f"gunicorn, 1 sync worker, {requests} requests each, alternating, new connection each")
    print(f"  trivial view            {summary(trivial_times)}")
    print(f"  cached plot ({plot_size // 1024} KiB PNG)  {summary(plot_times)}")
    print(f"  ratio of medians: {ratio:.2f}x (goal <= 1.5x)")


def bench_cold_figures(repeats: int) -> None:
    for name, value in SERVER_ENV.items():
        os.environ.setdefault(name, value)
    import django

    django.setup()
    from django.core.cache import cache

    from course.content_files import read_courses
    from course.lesson_figures import plan_figure
    from simulations import plots, registry, services
    from simulations.engine.core import normalized

    print(
        f"cold render of each lesson figure, PNG in pt-br (cache cleared; median of {repeats}):"
        " running its simulations, drawing them, and the whole request"
    )
    for course in read_courses(ROOT / "content"):
        for chapter in course.chapters:
            for lesson in chapter.lessons:
                for spec in lesson.figures:
                    runs, draws, totals = [], [], []
                    for _ in range(repeats):
                        cache.clear()
                        planned = plan_figure(spec, language="pt-br", fmt="png")
                        start = time.perf_counter()
                        series = [
                            plots.Series(
                                label,
                                services.get_result(
                                    services.plan_result(
                                        slug=planned.slug,
                                        raw_params=normalized(params),
                                        seed=planned.seed,
                                    )
                                ),
                            )
                            for label, params in planned.series
                        ]
                        ran = time.perf_counter()
                        plots.render(
                            registry.get(planned.slug), series, kind=planned.kind, fmt="png",
                            language="pt-br",
                        )
                        runs.append(ran - start)
                        draws.append(time.perf_counter() - ran)
                        cache.clear()
                        start = time.perf_counter()
                        services.get_plot(plan_figure(spec, language="pt-br", fmt="png"))
                        totals.append(time.perf_counter() - start)
                    print(
                        f"  {chapter.number}.{lesson.number} {spec['name']:<16} "
                        f"{len(spec['series'])} series   "
                        f"simulations {1000 * statistics.median(runs):7.1f} ms   "
                        f"drawing {1000 * statistics.median(draws):6.1f} ms   "
                        f"total {1000 * statistics.median(totals):7.1f} ms"
                    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    bench_serving(args.requests, args.port)
    print()
    bench_cold_figures(args.repeats)


if __name__ == "__main__":
    main()
