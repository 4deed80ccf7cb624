"""Retries that arrive at the same moment still record one attempt: the database decides.

Real concurrency needs a real database: these tests release threads together, each with
its own PostgreSQL connection, and are skipped on SQLite (which runs one writer at a
time, so there is no race to lose). The constraint itself is checked on any database.
"""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction
from rest_framework.test import APIClient

from quizzes.models import Attempt, IdempotencyKey
from quizzes.services import record_attempt

from .conftest import choice_id

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent transactions need PostgreSQL: set DATABASE_URL=postgres://... "
           "(SQLite runs one writer at a time, so there is no race to test)",
)
ROUNDS = 5
THREADS = 6


def run_at_once(*calls):
    """Run the calls in threads released together; return their results (or exceptions)."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except BaseException as error:  # noqa: BLE001 - reported by the test
            results[index] = error
        finally:
            connections.close_all()  # this thread's connection

    threads = [threading.Thread(target=run, args=(index, call))
               for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def poster(token: str, url: str, body: dict, key: str | None):
    def post():
        client = APIClient()
        headers = {"HTTP_AUTHORIZATION": f"Token {token}"}
        if key:
            headers["HTTP_IDEMPOTENCY_KEY"] = key
        return client.post(url, body, format="json", **headers)

    return post


@pytest.mark.django_db
def test_the_database_stores_a_learners_key_once(learner):
    stored = {"user": learner, "key": "k", "fingerprint": "a", "status_code": 201,
              "response": {}}
    IdempotencyKey.objects.create(**stored)

    with pytest.raises(IntegrityError), transaction.atomic():
        IdempotencyKey.objects.create(**stored)


@pytest.mark.postgres
@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_key_record_one_attempt(quiz, learner_token):
    url = f"/api/v1/questions/{quiz.single.pk}/attempts/"
    body = {"answer": choice_id(quiz.single, "Errada")}
    for round_ in range(ROUNDS):
        key = f"retry-{round_}"

        responses = run_at_once(*[poster(learner_token, url, body, key)] * THREADS)

        assert not [r for r in responses if isinstance(r, BaseException)], responses
        statuses = [r.status_code for r in responses]
        assert set(statuses) <= {201, 409}, statuses
        first = [r for r in responses if r.status_code == 201
                 and "Idempotent-Replayed" not in r]
        assert len(first) == 1, statuses
        replays = [r for r in responses if r.status_code == 201 and r not in first]
        assert all(r.json() == first[0].json() for r in replays)
        assert Attempt.objects.filter(idempotency_key=key).count() == 1
    assert Attempt.objects.count() == ROUNDS


@pytest.mark.postgres
@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_calls_with_one_key_record_once_below_the_http_layer(quiz, learner):
    """Below the HTTP layer too: record_attempt with the same key from several threads
    stores one attempt (the learner's lock, then the attempt's unique key)."""
    right = choice_id(quiz.single, "Certa")

    def answer():
        return record_attempt(question=quiz.single, user=learner, answer=right,
                              language="en", idempotency_key="direct").attempt.pk

    results = run_at_once(*[answer] * THREADS)

    assert len(set(results)) == 1, results
    assert Attempt.objects.count() == 1


@pytest.mark.postgres
@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_answers_with_different_keys_count_each_try_once(quiz, learner_token):
    """Four different wrong answers at once to a question with three tries: three are
    recorded as tries, the fourth finds none left."""
    url = f"/api/v1/questions/{quiz.numeric.pk}/attempts/"

    responses = run_at_once(*[poster(learner_token, url, {"answer": str(index + 1)},
                                     f"try-{index}") for index in range(4)])

    assert sorted(r.status_code for r in responses) == [200, 201, 201, 201]
    assert Attempt.objects.filter(counts_as_try=True).count() == 3
    tries = sorted(r.json()["state"]["tries_used"] for r in responses)
    assert tries == [1, 2, 3, 3]
