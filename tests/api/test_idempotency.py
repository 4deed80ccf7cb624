"""Idempotency-Key on answers: a retry is answered once and recorded once (IETF draft, Stripe)."""

import datetime as dt

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from api.throttling import ScopedRateThrottle
from quizzes import idempotency
from quizzes.models import Attempt, IdempotencyKey
from quizzes.services import record_attempt
from storage import sql

from .conftest import choice_id

KEY = "8e03978e-40d5-43e8-bc93-6894a57f9324"


def attempts_url(question) -> str:
    return f"/api/v1/questions/{question.pk}/attempts/"


def post(client, question, body, key=KEY, lang="en"):
    headers = {"HTTP_ACCEPT_LANGUAGE": lang}
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(attempts_url(question), body, format="json", **headers)


def test_a_retry_gets_the_first_response_and_records_nothing_new(quiz, learner_api):
    body = {"answer": choice_id(quiz.single, "Errada")}
    first = post(learner_api, quiz.single, body)

    retry = post(learner_api, quiz.single, body)

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert retry["Location"] == first["Location"]
    assert Attempt.objects.count() == 1
    assert retry.json()["state"]["tries_used"] == 1  # the first response's state, not a new one


def test_a_replay_keeps_the_first_responses_language(quiz, learner_api):
    body = {"answer": choice_id(quiz.single, "Errada")}
    first = post(learner_api, quiz.single, body, lang="pt-br")

    retry = post(learner_api, quiz.single, body, lang="en")

    assert retry.json() == first.json()
    assert retry["Content-Language"] == "pt-br"


def test_the_same_body_written_otherwise_is_the_same_request(quiz, learner_api):
    right = choice_id(quiz.single, "Certa")
    learner_api.post(attempts_url(quiz.single), f'{{"shown": "", "answer": {right}}}',
                     content_type="application/json", HTTP_IDEMPOTENCY_KEY=KEY)

    retry = learner_api.post(attempts_url(quiz.single), f'{{ "answer":{right},"shown":"" }}',
                             content_type="application/json", HTTP_IDEMPOTENCY_KEY=f'"{KEY}"')

    assert retry["Idempotent-Replayed"] == "true"
    assert Attempt.objects.count() == 1


def test_a_format_error_is_replayed_too(quiz, learner_api):
    post(learner_api, quiz.numeric, {"answer": "zero"})

    retry = post(learner_api, quiz.numeric, {"answer": "zero"})

    assert retry.status_code == 200 and retry["Idempotent-Replayed"] == "true"
    assert retry.json()["format_error"]["code"] == "not_a_number"


@pytest.mark.parametrize("lang", ["pt-br", "en"])
def test_the_same_key_with_another_body_is_a_422_problem(quiz, learner_api, assert_problem,
                                                         lang):
    post(learner_api, quiz.single, {"answer": choice_id(quiz.single, "Errada")})

    response = post(learner_api, quiz.single, {"answer": choice_id(quiz.single, "Certa")},
                    lang=lang)

    problem = assert_problem(response, 422, code="idempotency_key_reused", language=lang)
    assert problem["title"] == ("Conteúdo não processável" if lang == "pt-br"
                                else "Unprocessable Content")
    assert Attempt.objects.count() == 1 and not Attempt.objects.get().is_correct


def test_the_same_key_for_another_question_is_a_422_problem(quiz, learner_api, assert_problem):
    post(learner_api, quiz.numeric, {"answer": "1"})

    assert_problem(post(learner_api, quiz.single, {"answer": "1"}), 422, language="en")


def test_keys_belong_to_their_learner(quiz, learner_api, other_learner_api):
    body = {"answer": choice_id(quiz.single, "Certa")}

    assert post(learner_api, quiz.single, body).status_code == 201
    response = post(other_learner_api, quiz.single, body)

    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert Attempt.objects.count() == 2


def test_a_retry_while_the_first_is_being_answered_is_a_409_problem(
    quiz, learner_api, assert_problem, monkeypatch,
):
    body = {"answer": choice_id(quiz.single, "Certa")}
    retries = []

    def answer_slowly(**kwargs):
        # The app, tired of waiting, sends the request again while it is being answered.
        retries.append(post(learner_api, quiz.single, body))
        return record_attempt(**kwargs)

    monkeypatch.setattr("classroom.api_views.record_attempt", answer_slowly)
    first = post(learner_api, quiz.single, body)

    problem = assert_problem(retries[0], 409, code="idempotency_key_in_use", language="en")
    assert "still being processed" in problem["detail"]
    assert first.status_code == 201 and Attempt.objects.count() == 1
    monkeypatch.undo()
    later = post(learner_api, quiz.single, body)  # a moment later: the stored response
    assert later["Idempotent-Replayed"] == "true" and later.json() == first.json()


def test_another_body_while_the_first_is_being_answered_is_a_422_problem(
    quiz, learner_api, assert_problem, monkeypatch,
):
    retries = []

    def answer_slowly(**kwargs):
        retries.append(post(learner_api, quiz.single, {"answer": choice_id(quiz.single,
                                                                           "Errada")}))
        return record_attempt(**kwargs)

    monkeypatch.setattr("classroom.api_views.record_attempt", answer_slowly)
    post(learner_api, quiz.single, {"answer": choice_id(quiz.single, "Certa")})

    assert_problem(retries[0], 422, code="idempotency_key_reused", language="en")
    assert Attempt.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="the lock of another worker's transaction: PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_retry_is_answered_as_soon_as_the_worker_answering_its_key_is_gone(
    quiz, learner, learner_api, assert_problem,
):
    body = {"answer": choice_id(quiz.single, "Certa")}
    # Another worker's transaction answering the key: it holds the key's lock...
    other_worker = psycopg.connect(**connection.get_connection_params())
    other_worker.execute("SELECT pg_advisory_xact_lock(%s)",
                         [sql.lock_number(idempotency._lock_name(learner, KEY))])
    assert_problem(post(learner_api, quiz.single, body), 409,
                   code="idempotency_key_in_use", language="en")
    assert not Attempt.objects.exists()

    # ... until that worker is killed: its connection drops, PostgreSQL rolls its
    # transaction back and releases the lock. The retry is answered at once, not after
    # a lease runs out.
    other_worker.close()
    retry = post(learner_api, quiz.single, body)

    assert retry.status_code == 201 and "Idempotent-Replayed" not in retry
    assert Attempt.objects.count() == 1
    assert post(learner_api, quiz.single, body)["Idempotent-Replayed"] == "true"


def test_a_failure_releases_the_key_so_that_a_retry_can_succeed(quiz, learner_api,
                                                               monkeypatch, assert_problem):
    def broken(**kwargs):
        raise RuntimeError("the database went away")

    body = {"answer": choice_id(quiz.single, "Certa")}
    learner_api.raise_request_exception = False  # answer the 500 as a server would
    with monkeypatch.context() as patch:
        patch.setattr("classroom.api_views.record_attempt", broken)
        assert_problem(post(learner_api, quiz.single, body), 500, language="en")
    assert not IdempotencyKey.objects.exists() and not Attempt.objects.exists()

    assert post(learner_api, quiz.single, body).status_code == 201


@pytest.mark.parametrize("key", ["", "with space", "x" * 65, "ção"])
def test_a_malformed_key_is_a_validation_problem(quiz, learner_api, assert_problem, key):
    response = post(learner_api, quiz.single, {"answer": 1}, key=key)

    problem = assert_problem(response, 400, code="invalid", language="en")
    assert problem["errors"][0]["attr"] == "Idempotency-Key"
    assert not Attempt.objects.exists()


def test_without_a_key_each_post_is_another_attempt(quiz, learner_api):
    body = {"answer": choice_id(quiz.single, "Errada")}

    post(learner_api, quiz.single, body, key=None)
    post(learner_api, quiz.single, body, key=None)

    assert Attempt.objects.count() == 2 and not IdempotencyKey.objects.exists()


def test_keys_expire_after_a_day_and_are_purged(quiz, learner, learner_api):
    post(learner_api, quiz.numeric, {"answer": "zero"})
    IdempotencyKey.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))

    fresh = post(learner_api, quiz.numeric, {"answer": "1"})  # the expired key is new again

    assert fresh.status_code == 201 and "Idempotent-Replayed" not in fresh
    IdempotencyKey.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    IdempotencyKey.objects.create(user=learner, key="recent", fingerprint="f",
                                  status_code=200, response={})
    call_command("purge_idempotency_keys", verbosity=0)
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["recent"]


def test_an_attempt_keeps_its_key_so_even_an_expired_key_never_counts_twice(quiz, learner_api):
    body = {"answer": choice_id(quiz.single, "Errada")}
    first = post(learner_api, quiz.single, body).json()
    IdempotencyKey.objects.all().delete()  # purged

    again = post(learner_api, quiz.single, body)

    assert again.status_code == 200 and again.json()["attempt"] == first["attempt"]
    assert Attempt.objects.count() == 1


def test_replays_and_409s_do_not_use_up_the_learners_allowance(
    quiz, learner_api, monkeypatch,
):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "attempts", "2/minute")
    body = {"answer": choice_id(quiz.single, "Errada")}
    retries = []

    def answer_slowly(**kwargs):
        retries.append(post(learner_api, quiz.single, body, key="first"))
        return record_attempt(**kwargs)

    monkeypatch.setattr("classroom.api_views.record_attempt", answer_slowly)
    assert post(learner_api, quiz.single, body, key="first").status_code == 201
    monkeypatch.setattr("classroom.api_views.record_attempt", record_attempt)
    assert retries[0].status_code == 409
    for _retry in range(5):
        assert post(learner_api, quiz.single, body, key="first")["Idempotent-Replayed"] == "true"

    second = post(learner_api, quiz.single, {"answer": choice_id(quiz.single, "Outra")},
                  key="second")
    third = post(learner_api, quiz.single, {"answer": choice_id(quiz.single, "Certa")},
                 key="third")

    assert second.status_code == 201 and third.status_code == 429
    assert Attempt.objects.count() == 2
