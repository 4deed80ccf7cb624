"""Under gunicorn with two workers, one scrape reports what both workers counted.

gunicorn is started as the README says (``gunicorn config.wsgi``, in the project's
folder, so it reads gunicorn.conf.py) with nothing set for the metrics: that file gives
the workers their folder. Which worker answers a request is up to the kernel, so
requests are sent concurrently, in rounds, until both have answered some; each worker's
own file then shows its share, and the scrape must show the sum. A worker that stops
must not take its counts with it.
"""

from __future__ import annotations

import concurrent.futures
import glob
import os
import signal
import time
import urllib.request
from pathlib import Path

from prometheus_client.multiprocess import MultiProcessCollector

from tests.ops.metrics_scrape import parse, requests
from tests.processes import gunicorn, read_log

TOKEN = "scrape-token-for-tests"
ROUNDS, PER_ROUND, AT_ONCE = 20, 40, 8


def scrape(port: int) -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/metrics",
                                     headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status == 200
        return parse(response.read().decode())


def ask_health(port: int) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:  # noqa: S310
        return response.status


def workers_of(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def metrics_folder(workers: list[int]) -> str:
    """Return the folder of the metrics files the workers have mapped into memory."""
    mapped = {line.split()[-1] for pid in workers
              for line in Path(f"/proc/{pid}/maps").read_text().splitlines()
              if line.endswith(".db") and "/histogram_" in line}
    folders = {os.path.dirname(path) for path in mapped}
    assert len(folders) == 1, f"the workers write no metrics file, or several folders: {mapped}"
    return folders.pop()


def health_requests_per_worker(folder: str) -> dict[int, float]:
    """Return {worker pid: /healthz requests it counted}, read from each worker's file."""
    counted = {}
    for path in glob.glob(os.path.join(folder, "histogram_*.db")):
        pid = int(Path(path).stem.rsplit("_", 1)[1])
        samples = {(sample.name, frozenset(sample.labels.items())): sample.value
                   for family in MultiProcessCollector.merge([path])
                   for sample in family.samples}
        counted[pid] = requests(samples, "healthz")
    return counted


def test_a_scrape_adds_up_every_workers_counts(tmp_path):
    environment = {"METRICS_TOKEN": TOKEN, "CELERY_BROKER_URL": ""}
    assert "PROMETHEUS_MULTIPROC_DIR" not in os.environ
    with gunicorn(environment, workers=2) as (port, process):
        workers = _wait_for_workers(process.pid, 2)
        before = requests(scrape(port), "healthz")
        folder = metrics_folder(workers)
        sent = 0
        with concurrent.futures.ThreadPoolExecutor(AT_ONCE) as pool:
            for _round in range(ROUNDS):
                statuses = list(pool.map(ask_health, [port] * PER_ROUND))
                assert statuses == [200] * PER_ROUND
                sent += PER_ROUND
                per_worker = health_requests_per_worker(folder)
                if len([pid for pid in workers if per_worker.get(pid)]) == 2:
                    break

        per_worker = health_requests_per_worker(folder)
        assert all(per_worker.get(pid, 0) > 0 for pid in workers), per_worker
        after = requests(scrape(port), "healthz")
        assert after - before == sent
        assert after == sum(per_worker.values())

        # One worker fewer (TTOU): gunicorn's child_exit runs; the counts stay.
        os.kill(process.pid, signal.SIGTTOU)
        _wait_for_workers(process.pid, 1)
        assert requests(scrape(port), "healthz") == after
        assert "Traceback" not in read_log(process)


def _wait_for_workers(master: int, count: int, timeout: float = 30) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        workers = workers_of(master)
        if len(workers) == count:
            return workers
        time.sleep(0.1)
    raise TimeoutError(f"gunicorn did not get to {count} workers: {workers_of(master)}")
