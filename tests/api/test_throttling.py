"""Logins and registrations are throttled per client, counted in the cache all processes share."""

import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings

from tests.processes import ROOT, free_port, wait_until_serving
from tests.processes import request_json as _request

LOGIN = "/api/v1/auth/login/"


def _auth_limit() -> int:
    return int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["auth"].split("/")[0])


@pytest.mark.django_db
def test_login_and_register_share_one_limit_then_answer_a_429_problem(api, assert_problem):
    limit = _auth_limit()
    for attempt in range(limit):
        url = LOGIN if attempt % 2 else "/api/v1/auth/register/"
        assert api.post(url, {}, format="json").status_code == 400

    response = api.post(LOGIN, {}, format="json", HTTP_ACCEPT_LANGUAGE="en")

    body = assert_problem(response, 429, code="throttled", language="en")
    wait = int(response["Retry-After"])
    # The sliding window is estimated from two fixed ones (api/throttling.py): a burst at
    # the start of a minute waits for the next minute plus the time its count takes to
    # fade to limit - 1 there, 60 / limit seconds more at most.
    assert 0 < wait <= 60 + 60 / limit
    assert body["title"] == "Too Many Requests"
    assert body["detail"] == f"Too many requests. Try again in {wait} seconds."


@pytest.mark.django_db
def test_the_429_problem_is_in_portuguese_too(api, assert_problem):
    for _attempt in range(_auth_limit()):
        api.post(LOGIN, {}, format="json")

    body = assert_problem(api.post(LOGIN, {}, format="json"), 429)

    assert body["title"] == "Muitas requisições"
    assert body["detail"].startswith("Muitas requisições. Tente de novo em ")


@pytest.mark.django_db
def test_reading_courses_is_not_throttled(api):
    for _attempt in range(_auth_limit() + 5):
        assert api.get("/api/v1/courses/").status_code == 200


def _post(port: int, path: str) -> tuple[int, dict, dict]:
    return _request(port, path, body={})


@pytest.fixture
def two_app_processes(tmp_path):
    """Two gunicorn processes of this project sharing one Redis, as a scaled-out deploy runs."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "throttling-test-secret-key",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CACHE_KEY_PREFIX": f"gradiente-throttle-test-{uuid.uuid4().hex}",
        "API_AUTH_THROTTLE_RATE": "6/minute",
        # The throttled requests are refused before any query; no tables are needed.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    }
    ports = [free_port(), free_port()]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", "1", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        for port in ports
    ]
    try:
        for port, process in zip(ports, processes, strict=True):
            wait_until_serving(port, process)
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)


@pytest.mark.skipif(not os.environ.get("REDIS_URL"),
                    reason="needs REDIS_URL: the shared limit is counted in Redis")
def test_two_app_processes_enforce_one_limit_through_redis(two_app_processes):
    first, second = two_app_processes
    # Three requests to each process: neither alone reaches the limit of six.
    statuses = [_post(port, LOGIN)[0] for port in (first, second) * 3]
    assert statuses == [400] * 6

    for port in (first, second):
        status, headers, body = _post(port, LOGIN)
        assert status == 429
        assert headers["Content-Type"] == "application/problem+json"
        assert int(headers["Retry-After"]) > 0
        assert body["code"] == "throttled"
