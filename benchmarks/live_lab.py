"""The live lab in a real browser: from a parameter change to the updated plot on screen.

Starts one gunicorn server (one worker, two threads, production settings, the lab's
throttle lifted) and Debian's headless chromium (Playwright). For each lesson figure
(the configuration its "Change the parameters in the lab" link opens: the figure's first
series, as ``course.lesson_figures.describe_figure`` builds it), it opens the lab and
changes the seed in its text input, alternately

- *cold*: to a seed never run (the server runs the simulation and draws the plot), and
- *warm*: back to the figure's own seed (computed when the page loaded: a cache hit),

and reads what static/js/lab.js measured (``performance.measure``):

- *change → plot*: from the input event to the new plot loaded in the page, including
  the script's 250 ms debounce (what the learner waits after the last keystroke or slider
  move, plus the debounce);
- *request → plot*: from the script's request to the plot loaded;
- *server*: the lab view's own time (its ``Server-Timing``) plus the plot request's
  time to first byte (zero when the browser still holds that image).

Medians over ``--repeats`` changes of each kind; each update waits at most ``--timeout``
seconds.

    python benchmarks/live_lab.py [--repeats 3] [--language pt-br] [--lesson 18.8]

As a gunicorn app (what it starts): ``live_lab:application`` with ``--pythonpath benchmarks``.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import _server
from _server import project_with_routes

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SERVER_ENV = {**_server.SERVER_ENV, "SIMULATIONS_ANON_THROTTLE_RATE": "100000000/minute",
              "SIMULATIONS_LEARNER_THROTTLE_RATE": "100000000/minute"}
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]

__getattr__ = project_with_routes(__name__, {})

# What lab.js measured for the last update, and the requests behind it.
READ_TIMINGS = """() => {
  const last = (name) => performance.getEntriesByName(name, "measure").pop();
  const resources = performance.getEntriesByType("resource");
  const fragment = resources.filter((e) => e.initiatorType === "fetch").pop();
  const src = document.querySelector(".sim-figure img").src;
  const plot = resources.filter((e) => e.name === src).pop();
  const lab = fragment.serverTiming.find((entry) => entry.name === "lab");
  return {
    change: last("lab-update").duration,
    request: last("lab-request-to-plot").duration,
    view: lab ? lab.duration : NaN,
    plot: plot ? plot.responseStart - plot.requestStart : 0,
  };
}"""
UPDATED = ("n => Number(document.querySelector('.lab-output').dataset.updated || 0) > n"
           " && !document.querySelector('.lab-output').hasAttribute('aria-busy')")


def lab_configurations(language: str, lessons: list[str]) -> list[tuple[str, str]]:
    """Return (lesson figure, lab path) for every figure, as its lab link opens it."""
    import django

    for name, value in SERVER_ENV.items():
        os.environ.setdefault(name, value)
    django.setup()
    from course.content_files import read_courses
    from course.lesson_figures import plan_figure
    from simulations.engine.core import normalized

    found = []
    for course in read_courses(ROOT / "content"):
        for chapter in course.chapters:
            for lesson in chapter.lessons:
                number = f"{chapter.number}.{lesson.number}"
                if lessons and number not in lessons:
                    continue
                for spec in lesson.figures:
                    planned = plan_figure(spec, language=language, fmt="png")
                    query = {**normalized(planned.series[0][1]), "seed": planned.seed,
                             "kind": planned.kind}
                    found.append((f"{number} {spec['name']}",
                                  f"/{language}/lab/{planned.slug}/?{urlencode(query)}"))
    return found


def start_server(port: int) -> subprocess.Popen:
    # Production settings serve static files from the collected manifest, as a deploy does.
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput",
                    "--verbosity", "0"], env={**os.environ, **SERVER_ENV}, check=True)
    command = [sys.executable, "-m", "gunicorn", "--chdir", str(ROOT), "--pythonpath",
               str(ROOT / "benchmarks"), "--workers", "1", "--threads", "2", "--bind",
               f"127.0.0.1:{port}", "--log-level", "warning", "live_lab:application"]
    server = subprocess.Popen(command, env={**os.environ, **SERVER_ENV})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited; see its output above")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/en/lab/", timeout=5)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not start in time")


def change_seed(page, seed: int, timeout: float) -> dict[str, float]:
    """Type ``seed`` into the seed field and return lab.js's timings of the update."""
    before = page.evaluate("Number(document.querySelector('.lab-output').dataset.updated || 0)")
    page.evaluate("performance.clearResourceTimings()")
    page.locator("input[name=seed]").fill(str(seed))
    page.wait_for_function(UPDATED, arg=before, timeout=timeout * 1000)
    if page.locator(".sim-figure img").count() == 0:
        raise RuntimeError(page.locator(".lab-output").inner_text())
    return page.evaluate(READ_TIMINGS)


# Seeds never run before, in this run or an earlier one (figures of one simulation may share
# their parameters; a shared cache such as Redis outlives the server).
UNUSED_SEEDS = itertools.count(random.randrange(10**6, 10**9))


def measure(page, base: str, path: str, repeats: int, timeout: float) -> dict:
    page.goto(base + path)  # the figure's own configuration: computed now, cached after
    seed = int(page.locator("input[name=seed]").input_value() or 0)
    runs = {"cold": [], "warm": []}
    for _ in range(repeats):
        runs["cold"].append(change_seed(page, next(UNUSED_SEEDS), timeout))
        runs["warm"].append(change_seed(page, seed, timeout))
    return {kind: {key: statistics.median(run[key] for run in timings) for key in timings[0]}
            for kind, timings in runs.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--language", default="pt-br", choices=["pt-br", "en"])
    parser.add_argument("--lesson", action="append", default=[],
                        help="Only this lesson (e.g. 18.8); repeat for several.")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="Seconds an update may take before the run stops.")
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    configurations = lab_configurations(args.language, args.lesson)
    from playwright.sync_api import sync_playwright

    server = start_server(args.port)
    base = f"http://127.0.0.1:{args.port}"
    print(f"{len(configurations)} lesson figures, {args.language}, median of {args.repeats} "
          "changes each; milliseconds")
    print("| figure | cold: change → plot | request → plot | server | "
          "warm: change → plot | request → plot | server |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    totals = {"cold": [], "warm": []}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
            for figure, path in configurations:
                result = measure(page, base, path, args.repeats, args.timeout)
                cells = []
                for kind in ("cold", "warm"):
                    times = result[kind]
                    server_ms = times["view"] + times["plot"]
                    totals[kind].append((times["change"], times["request"], server_ms))
                    cells += [f"{times['change']:.0f}", f"{times['request']:.0f}",
                              f"{server_ms:.0f}"]
                print(f"| {figure} | " + " | ".join(cells) + " |", flush=True)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    for kind, rows in totals.items():
        change, request, server_ms = (statistics.median(column)
                                      for column in zip(*rows, strict=True))
        print(f"{kind}: median over figures: change → plot {change:.0f} ms, request → plot "
              f"{request:.0f} ms, server {server_ms:.0f} ms ({server_ms / request:.0%} of it)")


if __name__ == "__main__":
    main()
