"""A worker is killed (SIGKILL) while answering: the retry with the same key records one attempt.

The worker is stopped at a known point of the answer without any hook in the product:
a separate database session holds a lock the answer's transaction needs (the learner's
row, which every answer locks first; or the table of stored responses, written last,
after the attempt), so the worker waits inside its transaction; then it is killed.
Its transaction dies with it, and with it the lock of the request's key (PostgreSQL
releases it when the dead worker's connection drops): the client's retry, with the same
``Idempotency-Key``, is answered within a couple of seconds with one recorded attempt.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from accounts.services import issue_token
from quizzes.models import Attempt, IdempotencyKey, Question
from tests.processes import request_json

from .conftest import database_url, fault_app, on_postgresql

pytestmark = [pytest.mark.system, pytest.mark.postgres, on_postgresql(),
              pytest.mark.django_db(transaction=True)]

# Once a new worker answers (gunicorn starts one at once), a retry is answered as soon as
# the dead worker's connection is gone: a moment. A minute of 409s (the time lease this
# replaced) fails; so does any wait longer than this, however loaded the machine.
RECORDED_WITHIN_SECONDS = 2
BLOCKERS = {
    "while it waits for the learner's lock": "SELECT 1 FROM {user} WHERE id = %s FOR UPDATE",
    "after its attempt is written, before its response is": "LOCK TABLE {keys} IN EXCLUSIVE MODE",
}


def children(pid: int) -> list[int]:
    """Return the processes whose parent is ``pid`` (gunicorn's workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
        except (OSError, ValueError):
            continue
        # "pid (name) state ppid ...": the name may hold spaces, so split after its ")".
        if entry.name.isdigit() and int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def wait_for_a_blocked_session(database: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                           "AND wait_event_type = 'Lock'", [database])
            if cursor.fetchone()[0]:
                return
        time.sleep(0.05)
    raise TimeoutError("the answer never waited for the lock")


@pytest.mark.parametrize("blocker", BLOCKERS.values(), ids=BLOCKERS.keys())
def test_a_retry_after_a_killed_worker_records_one_attempt(make_lesson, app_environment,
                                                           blocker):
    learner = get_user_model().objects.create_user(username="ana", password="x" * 20)
    token = issue_token(user=learner).token
    question = Question.objects.create(
        lesson=make_lesson(1, 1), key="n", kind=Question.Kind.NUMERIC, order=1,
        answer=1.0, rtol=0.0, max_tries=None, prompt_pt_br="Quanto?", prompt_en="How much?")
    url, key = f"/api/v1/questions/{question.pk}/attempts/", uuid.uuid4().hex
    headers = {"Authorization": f"Token {token}", "Idempotency-Key": key}
    statement = blocker.format(user=get_user_model()._meta.db_table,
                               keys=IdempotencyKey._meta.db_table)
    first: list = []

    def answer() -> None:
        try:
            first.append(request_json(port, url, body={"answer": 2}, headers=headers)[0])
        except OSError as error:  # the worker died: no response
            first.append(error)

    with fault_app(app_environment) as (port, master), psycopg.connect(database_url()) as lock:
        lock.execute(statement, [learner.pk] if "%s" in statement else None)
        client = threading.Thread(target=answer)
        client.start()
        wait_for_a_blocked_session(connection.settings_dict["NAME"])
        for worker in children(master.pid):
            os.kill(worker, signal.SIGKILL)
        lock.rollback()
        client.join(timeout=10)
        assert len(first) == 1 and isinstance(first[0], OSError), first

        # The client retries as the app does: again after a 409 or no response.
        killed, statuses, first_answer = time.monotonic(), [], None
        while time.monotonic() < killed + 20:
            try:
                status, _headers, body = request_json(port, url, body={"answer": 2},
                                                      headers=headers)
            except OSError:  # no worker yet: gunicorn is starting one
                status = None
            statuses.append(status)
            if status is not None and first_answer is None:
                first_answer = time.monotonic()
            if status not in (None, 409):  # 409: the dead request's lock, until it goes
                break
            time.sleep(0.1)
        recorded_after = time.monotonic() - first_answer
        replay = request_json(port, url, body={"answer": 2}, headers=headers)

    assert statuses[-1] == 201, (statuses, body)
    assert recorded_after < RECORDED_WITHIN_SECONDS, (recorded_after, statuses)
    assert replay[0] == 201 and replay[1]["Idempotent-Replayed"] == "true"
    assert replay[2] == body
    assert Attempt.objects.filter(idempotency_key=key).count() == 1
    assert Attempt.objects.count() == 1
