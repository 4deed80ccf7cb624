"""Uncached simulation work through a real Celery worker and broker (the PostgreSQL +
Redis leg): 202 and a job to poll, the worker's numbers, a bounded queue, a dead worker.

Each test has a queue and a cache prefix of its own, so parallel runs never take each
other's jobs. Every request is made with a timeout: one that hung would fail the test.
"""

from __future__ import annotations

import contextlib
import os
import time
import urllib.request
import uuid
from urllib.parse import urlencode

import kombu
import pytest
from django.utils import translation

from simulations import services
from simulations.api_jobs import SimulationsBusy
from tests.processes import celery_worker, read_log, request_json
from tests.system.conftest import fault_app

pytestmark = [
    pytest.mark.skipif(not os.environ.get("REDIS_URL"),
                       reason="needs REDIS_URL: the broker and the cache workers share"),
    pytest.mark.django_db(transaction=True),
]
RUN = "/api/v1/simulations/mlp_gradient_flow/run/"
# Long enough for a worker started during the test to take the job (test 1); short
# enough to wait for a lost job's timeout (test 2).
JOB_TIMEOUT = {"worker_starts_later": 120, "worker_dies": 4}


@pytest.fixture(params=["redis", "amqp"])
def broker(request) -> str:
    """The broker's URL: the Redis of the tests, and RabbitMQ when TEST_AMQP_URL names one
    (.ci/run does); the queue made for the test is deleted after it."""
    url = os.environ["REDIS_URL"] if request.param == "redis" else os.environ.get(
        "TEST_AMQP_URL")
    if not url:
        pytest.skip("set TEST_AMQP_URL=amqp://... to test with RabbitMQ as the broker")
    return url


@contextlib.contextmanager
def own_queue(broker_url: str):
    """A queue name of this test's own, deleted from the broker at the end."""
    name = f"simulations-test-{uuid.uuid4().hex}"
    try:
        yield name
    finally:
        with kombu.Connection(broker_url) as connection:
            with contextlib.suppress(Exception):  # never declared: nothing to delete
                connection.default_channel.queue_delete(name)


def queued_environment(app_environment, job_timeout: int, *, broker: str,
                       queue: str) -> dict[str, str]:
    return {**app_environment, "CELERY_BROKER_URL": broker,
            "SIMULATION_QUEUE": queue, "SIMULATION_QUEUE_LIMIT": "2",
            "SIMULATION_WAIT_SECONDS": "1", "SIMULATION_JOB_TIMEOUT": str(job_timeout),
            "SIMULATIONS_ANON_THROTTLE_RATE": "1000/minute"}


def run_url(depth: int) -> str:
    return f"{RUN}?{urlencode({'depth': depth, 'width': 24})}"


def get(port: int, path: str, language: str = "en"):
    return request_json(port, path, headers={"Accept-Language": language}, timeout=15)


def poll_until(port: int, job: str, wanted: str, *, within: float = 90) -> dict:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        status, headers, body = get(port, job)
        assert status == 200, body
        if body["status"] == wanted:
            return body
        time.sleep(float(headers.get("Retry-After", 1)) / 4)
    raise AssertionError(f"job {job} never became {wanted}: last {body}")


def test_queued_runs_are_bounded_and_the_worker_computes_the_engines_numbers(
        app_environment, broker):
    with own_queue(broker) as queue, fault_app(env := queued_environment(
            app_environment, JOB_TIMEOUT["worker_starts_later"], broker=broker,
            queue=queue)) as (port, app):
        # No worker yet: the first two runs wait in the queue, the third is refused.
        first = get(port, run_url(3))
        second = get(port, run_url(4))
        status, headers, refused = get(port, run_url(5), language="pt-br")

        for accepted_status, accepted_headers, body in (first, second):
            assert accepted_status == 202, body
            assert body["status"] == "pending"
            assert accepted_headers["Location"] == body["job"]
            assert int(accepted_headers["Retry-After"]) >= 1
        assert status == 503, refused
        assert int(headers["Retry-After"]) >= 1
        assert headers["Content-Language"] == "pt-br"
        with translation.override("pt-br"):
            assert refused["detail"] == str(SimulationsBusy.default_detail)

        with celery_worker(env, queue=env["SIMULATION_QUEUE"]) as worker:
            done = poll_until(port, first[2]["job"], "done")
            assert done["result"] == run_url(3)
            status, _headers, served = get(port, done["result"])
            assert status == 200, (served, read_log(app), read_log(worker))

        direct = services.run_simulation(slug="mlp_gradient_flow",
                                         raw_params={"depth": 3, "width": 24}, seed=0)
        assert served == direct.to_dict()


def test_a_dead_worker_never_holds_a_request_and_its_jobs_are_queued_again(app_environment):
    broker = os.environ["REDIS_URL"]
    with own_queue(broker) as queue, fault_app(env := queued_environment(
            app_environment, JOB_TIMEOUT["worker_dies"], broker=broker,
            queue=queue)) as (port, _app):
        with celery_worker(env, queue=env["SIMULATION_QUEUE"]) as worker:
            worker.kill()  # SIGKILL: nothing is acknowledged or cleaned up
            worker.wait(timeout=10)
        status, _headers, body = get(port, run_url(6))
        assert status == 202, body
        # The lab's page says so too, and reloads itself, instead of waiting.
        page = urllib.request.urlopen(  # noqa: S310 - a local test server
            f"http://127.0.0.1:{port}/en/lab/mlp_gradient_flow/?depth=7&width=24", timeout=15)
        assert page.status == 202
        html = page.read().decode()
        assert '<meta http-equiv="refresh"' in html and "reloads by itself" in html
        assert poll_until(port, body["job"], "pending", within=5)["status"] == "pending"

        # Nobody computes it: after the job's timeout its status says so...
        failed = poll_until(port, body["job"], "failed", within=JOB_TIMEOUT["worker_dies"] + 30)
        # ...and asking for the result again queues it again, for a worker that is alive
        # (one that starts slower than the job's timeout sees it expire: ask once more).
        with celery_worker(env, queue=env["SIMULATION_QUEUE"]):
            served = fetch_as_a_client_does(port, failed["result"])
        assert served["params"]["depth"] == 6


def fetch_as_a_client_does(port: int, url: str, *, within: float = 90) -> dict:
    """GET ``url``; on 202 poll its job, and ask again when the job is done or failed;
    on 503 (the queue still holds the dead worker's jobs) ask again a moment later."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        status, headers, body = get(port, url)
        if status == 200:
            return body
        if status == 503:
            assert int(headers["Retry-After"]) >= 1
            time.sleep(1)
            continue
        assert status == 202, body
        job = body["job"]
        while get(port, job)[2]["status"] == "pending" and time.monotonic() < deadline:
            time.sleep(0.25)
    raise AssertionError(f"{url} was never served")
