"""PostgreSQL restarts during a load of answers: 503s meanwhile, every answer stored once.

The test database is cut off as a restart would (its sessions ended, new ones refused
for a few seconds) from an admin connection, without stopping the shared cluster.
Learners keep answering through gunicorn, each answer with its own ``Idempotency-Key``
and retried with it until acknowledged, as the app does.
"""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from django.contrib.auth import get_user_model

from accounts.services import issue_token
from quizzes.models import Attempt, Question
from tests.processes import request_json

from .conftest import (
    cut_off_database,
    database_admin,
    fault_app,
    on_postgresql,
    own_backend_pid,
)

pytestmark = [pytest.mark.system, pytest.mark.postgres, on_postgresql(),
              pytest.mark.django_db(transaction=True)]

LEARNERS = 4
OUTAGE_SECONDS = 2.5
LESSON_PAGE = "/pt-br/courses/course/lesson-1-1/"


@pytest.fixture
def numeric_question(make_lesson):
    """A question every answer of which is a new try (all wrong, none repeated)."""
    return Question.objects.create(
        lesson=make_lesson(1, 1), key="n", kind=Question.Kind.NUMERIC, order=1,
        answer=1000.0, rtol=0.0, max_tries=None, prompt_pt_br="Quanto?", prompt_en="How much?")


def answer_until_acknowledged(port: int, url: str, token: str, stop: threading.Event,
                              seen: list, acknowledged: list, deadline: float) -> None:
    """Send answers, each with its own key, again with the same key until it is stored;
    once ``stop`` is set, finish the answer under way and stop."""
    value = 0.0
    while not stop.is_set():
        key, value = uuid.uuid4().hex, value + 1
        while time.monotonic() < deadline:
            try:
                status, headers, body = request_json(
                    port, url, body={"answer": value}, timeout=10,
                    headers={"Authorization": f"Token {token}", "Idempotency-Key": key,
                             "Accept-Language": "pt-br"})
            except OSError:
                status, headers, body = None, {}, {}
            seen.append((status, headers, body))
            if status == 201:
                acknowledged.append(key)
                break
            time.sleep(0.1)
        time.sleep(0.02)


def read_pages(port: int, stop: threading.Event, seen: list) -> None:
    while not stop.is_set():
        try:
            seen.append(request_json(port, LESSON_PAGE, headers={"Accept": "text/html"}))
        except OSError:
            seen.append((None, {}, {}))
        time.sleep(0.05)


def test_answers_during_a_database_restart_get_503s_then_are_stored_exactly_once(
        numeric_question, app_environment):
    tokens = [issue_token(user=get_user_model().objects.create_user(
        username=f"learner{index}", password="x" * 20)).token for index in range(LEARNERS)]
    url = f"/api/v1/questions/{numeric_question.pk}/attempts/"
    answers, pages, acknowledged = [], [], []
    deadline, stop = time.monotonic() + 45, threading.Event()

    with fault_app(app_environment, workers=2) as (port, _process), database_admin() as admin:
        threads = [threading.Thread(target=answer_until_acknowledged, args=(
            port, url, token, stop, answers, acknowledged, deadline)) for token in tokens]
        threads.append(threading.Thread(target=read_pages, args=(port, stop, pages)))
        for thread in threads:
            thread.start()
        while len(acknowledged) < 2 * LEARNERS and time.monotonic() < deadline:
            time.sleep(0.05)  # answers are being stored
        cut_off_database(admin, OUTAGE_SECONDS, spare_pids=(own_backend_pid(),))
        time.sleep(1)  # and some answers after it
        stop.set()
        for thread in threads:
            thread.join(timeout=60)

    statuses = {status for status, _headers, _body in answers}
    assert statuses <= {201, 409, 503}, statuses
    unavailable = [(h, b) for status, h, b in answers if status == 503]
    assert unavailable, "no answer arrived during the outage"
    for headers, body in unavailable:
        assert headers["Content-Type"] == "application/problem+json"
        assert int(headers["Retry-After"]) > 0
        assert body["code"] == "service_unavailable"
        assert body["title"] == "Serviço indisponível"
        assert body["detail"].startswith("O serviço está indisponível por um momento.")
    assert {status for status, _headers, _body in pages} <= {200, 503}
    page = next(body["text"] for status, headers, body in pages if status == 503)
    assert '<html lang="pt-br">' in page and "Recarregue esta página" in page
    # Every answer acknowledged (before, during and after), each stored once.
    assert all(not thread.is_alive() for thread in threads)
    assert len(acknowledged) > LEARNERS * 10
    stored = list(Attempt.objects.values_list("idempotency_key", flat=True))
    assert sorted(stored) == sorted(acknowledged)
