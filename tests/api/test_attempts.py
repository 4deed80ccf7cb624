"""Answering through the API: the web's grading, the outcome and what is due, auth, bad input."""

import datetime as dt
import json
import re

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers
from rest_framework.throttling import ScopedRateThrottle

from progress.models import LessonProgress
from quizzes.attempt_serializers import AttemptOutcomeSerializer
from quizzes.models import Attempt, Question, Variant

from .conftest import choice_id


def attempts_url(question) -> str:
    return f"/api/v1/questions/{question.pk}/attempts/"


def post(client, question, body, lang="en", **headers):
    return client.post(attempts_url(question), body, format="json",
                       HTTP_ACCEPT_LANGUAGE=lang, **headers)


@pytest.mark.parametrize(("lang", "wrong", "right", "next_title"), [
    ("pt-br", "Você errou! Tente novamente.",
     "Você acertou! Parabéns, agora siga para a próxima página", "Lição 1.2"),
    ("en", "That's not right! Try again.",
     "You got it right! Well done, now go on to the next page", "Next lesson"),
])
def test_wrong_then_right_in_each_language(quiz, learner, learner_api, lang, wrong, right,
                                           next_title):
    response = post(learner_api, quiz.single, {"answer": choice_id(quiz.single, "Errada")},
                    lang)

    assert response.status_code == 201
    assert response["Content-Language"] == lang
    first = response.json()
    assert (first["recorded"], first["correct"], first["score"]) == (True, False, 0.0)
    assert first["feedback"] == wrong
    assert first["choice_feedback"] == [{"choice": choice_id(quiz.single, "Errada"),
                                         "feedback": "Sobre Errada" if lang == "pt-br"
                                         else "About Errada"}]
    assert first["explanation"] is None and first["solution"] is None
    assert first["format_error"] is None
    assert first["state"] == {"answered": True, "solved": False, "tries_used": 1,
                              "tries_left": None, "max_tries": None, "can_answer": True}
    attempt = Attempt.objects.get()
    assert response["Location"] == first["attempt"]["url"] == (
        f"http://testserver/api/v1/me/attempts/{attempt.pk}/")
    assert attempt.user == learner and attempt.language == lang

    second = post(learner_api, quiz.single, {"answer": [choice_id(quiz.single, "Certa")]},
                  lang).json()

    assert (second["correct"], second["score"], second["feedback"]) == (True, 1.0, right)
    assert second["explanation"] in ("Porque sim.", "Because.")
    assert second["explanation_html"].startswith("<p>")
    assert second["solution"]["choices"] == [choice_id(quiz.single, "Certa")]
    assert second["state"]["solved"] and second["state"]["tries_used"] == 2
    assert second["next_lesson"]["title"] == next_title
    assert second["next_lesson"]["url"].endswith("/lessons/lesson-1-2/")
    assert second["answered_at"] == second["received_at"]


def test_the_api_grades_as_the_web_does_and_completes_the_lesson(quiz, learner, learner_api):
    for question, value in [(quiz.single, choice_id(quiz.single, "Certa")),
                            (quiz.multiple, [choice_id(quiz.multiple, "A"),
                                             choice_id(quiz.multiple, "B")]),
                            (quiz.numeric, "0,05")]:
        assert post(learner_api, question, {"answer": value}).json()["correct"]
    learner_api.get(quiz.url)  # stores the learner's variant, as reading it on the web would
    value = Variant.objects.get(question=quiz.simulated, user=learner).value

    assert post(learner_api, quiz.simulated, {"answer": value}).json()["correct"]

    assert LessonProgress.objects.get(user=learner, lesson=quiz.lesson).completed_at


def test_partial_credit_scores_part_of_a_multiple_choice(quiz, learner_api):
    body = post(learner_api, quiz.multiple, {"answer": [choice_id(quiz.multiple, "A")]}).json()

    assert (body["correct"], body["score"]) == (False, 0.5)
    assert body["feedback"] == "You got part of it (50%). Try again."


def test_a_number_typed_in_portuguese_or_sent_as_json(quiz, learner_api):
    assert post(learner_api, quiz.numeric, {"answer": "0,05"}, "pt-br").json()["correct"]
    assert post(learner_api, quiz.numeric, {"answer": 0.05}).json()["correct"]


@pytest.mark.parametrize(("lang", "message"), [
    ("pt-br", "Não consegui ler “zero” como um número. Escreva, por exemplo, 0,05 ou 5e-2."),
    ("en", "I could not read “zero” as a number. Write, for example, 0.05 or 5e-2."),
])
def test_an_unreadable_answer_is_a_format_error_not_a_try(quiz, learner_api, lang, message):
    response = post(learner_api, quiz.numeric, {"answer": "zero"}, lang)

    assert response.status_code == 200
    body = response.json()
    assert body["recorded"] is False and body["attempt"] is None
    assert body["format_error"] == {"code": "not_a_number", "message": message}
    assert body["state"]["tries_used"] == 0 and body["state"]["tries_left"] == 3
    assert not Attempt.objects.exists()


def test_the_solution_comes_when_the_policy_says(quiz, learner_api):
    first = post(learner_api, quiz.numeric, {"answer": "1"}).json()
    second = post(learner_api, quiz.numeric, {"answer": "2"}).json()

    assert first["explanation"] == "Because." and first["solution"] is None
    assert second["solution"] == {"text": "0.05", "value": 0.05, "choices": None}
    assert second["state"]["tries_left"] == 1


def test_no_tries_left_is_answered_but_not_recorded(quiz, learner_api):
    for typed in ("1", "2", "3"):
        post(learner_api, quiz.numeric, {"answer": typed})

    response = post(learner_api, quiz.numeric, {"answer": "0.05"})

    assert response.status_code == 200
    body = response.json()
    assert body["recorded"] is False and body["correct"] is False
    assert body["feedback"] == "You have no tries left for this exercise."
    assert body["state"]["can_answer"] is False
    assert Attempt.objects.count() == 3


def test_the_same_wrong_answer_again_is_recorded_but_not_another_try(quiz, learner_api):
    wrong = choice_id(quiz.single, "Errada")
    post(learner_api, quiz.single, {"answer": wrong})

    again = post(learner_api, quiz.single, {"answer": [wrong]}).json()

    assert again["repeated"] is True and again["recorded"] is True
    assert again["state"]["tries_used"] == 1


def test_score_outcome_and_owner_in_the_body_are_ignored(quiz, learner, learner_api,
                                                         other_learner_api):
    wrong = choice_id(quiz.single, "Errada")
    body = {"answer": wrong, "score": 1.0, "is_correct": True, "correct": True,
            "outcome": {"correct": True}, "user": other_learner_api.user.pk,
            "owner": other_learner_api.user.pk, "counts_as_try": False,
            "idempotency_key": "x", "language": "xx", "snapshot": {}}

    response = post(learner_api, quiz.single, body)

    assert response.status_code == 201
    assert (response.json()["correct"], response.json()["score"]) == (False, 0.0)
    attempt = Attempt.objects.get()
    assert (attempt.user, attempt.is_correct, attempt.score) == (learner, False, 0.0)
    assert (attempt.counts_as_try, attempt.idempotency_key, attempt.language) == (True, "", "en")
    assert attempt.snapshot["question"]["choices"]


@pytest.mark.parametrize("lang", ["pt-br", "en"])
def test_answering_needs_a_token(quiz, api, assert_problem, lang):
    response = post(api, quiz.single, {"answer": 1}, lang)

    body = assert_problem(response, 401, code="not_authenticated", language=lang)
    assert response["WWW-Authenticate"] == "Token"
    assert body["title"] == ("Não autorizado" if lang == "pt-br" else "Unauthorized")
    assert not Attempt.objects.exists()


@pytest.mark.parametrize(("body", "field"), [
    ({}, "answer"),
    ({"answer": None}, "answer"),
    ({"answer": {"choice": 1}}, "answer"),
    ({"answer": True}, "answer"),
    ({"answer": ["1", 2]}, "answer"),
    ({"answer": list(range(51))}, "answer"),
    ({"answer": "1" * 65}, "answer"),
    ({"answer": 1, "answered_at": "yesterday"}, "answered_at"),
    ({"answer": 1, "shown": "x" * 33}, "shown"),
])
def test_a_malformed_body_is_a_validation_problem_naming_the_field(
    quiz, learner_api, assert_problem, body, field,
):
    response = post(learner_api, quiz.single, body, "en")

    problem = assert_problem(response, 400, code="invalid", language="en")
    assert [error["attr"] for error in problem["errors"]] == [field]
    assert not Attempt.objects.exists()


def test_an_answer_dated_in_the_future_is_refused_in_the_requests_language(
    quiz, learner_api, assert_problem,
):
    future = (timezone.now() + dt.timedelta(hours=1)).isoformat()

    problem = assert_problem(post(learner_api, quiz.single, {"answer": 1, "answered_at": future},
                                  "pt-br"), 400)

    assert problem["errors"][0]["attr"] == "answered_at"
    assert problem["errors"][0]["code"] == "future"


def test_an_answer_dated_before_the_product_existed_is_refused(
    quiz, learner_api, assert_problem,
):
    # A year-241 date from a broken device clock once came back with an LMT offset
    # of -03:06:28, which is not a valid RFC 3339 date-time.
    problem = assert_problem(post(learner_api, quiz.single,
                                  {"answer": 1, "answered_at": "0241-04-26T15:15:59-14:01"},
                                  "pt-br"), 400)

    assert problem["errors"][0]["attr"] == "answered_at"
    assert problem["errors"][0]["code"] == "too_old"
    assert problem["errors"][0]["detail"] == "Este horário é antigo demais."
    assert not Attempt.objects.exists()


@pytest.fixture(scope="module")
def answer_time_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return schema["components"]["schemas"]["AnswerRequest"]["properties"]["answered_at"]


@pytest.mark.parametrize(("answered_at", "valid"), [
    ("2026-03-01T14:05:00-03:00", True),
    ("2026-03-01T14:05:00.123456Z", True),
    ("2020-01-01T00:30:00+01:00", True),  # from 2020 on as written (2019 in UTC)
    ("2026-03-01 14:05:00Z", False),  # a space for the T: Python reads it, RFC 3339 not
    ("2026-03-01T14:05:00", False),  # no time zone: whose 14:05?
    ("2026-03-01t14:05:00z", False),
    ("2026-03-01T14:05Z", False),  # no seconds
    ("2026-03-01T14:05:00.1234567Z", False),  # finer than a microsecond
    ("2016-12-31T23:59:60Z", False),  # a leap second, and before 2020
    ("2019-12-31T23:59:59Z", False),
    ("+2026-03-01T14:05:00Z", False),
])
def test_the_server_takes_an_answer_time_exactly_when_the_schema_does(
    quiz, learner_api, answer_time_schema, answered_at, valid,
):
    """The schema states the format and the first year; the server refuses the same."""
    assert answer_time_schema["format"] == "date-time"
    assert bool(re.search(answer_time_schema["pattern"], answered_at)) is valid

    answer = choice_id(quiz.single, "Certa")
    response = post(learner_api, quiz.single, {"answer": answer, "answered_at": answered_at})

    assert response.status_code == (201 if valid else 400), response.content
    if not valid:
        assert response.json()["errors"][0]["attr"] == "answered_at"


@pytest.mark.parametrize("shown", [0, 1.5, True, ["abc"], {"token": "abc"}])
def test_a_shown_token_that_is_not_a_string_is_refused(quiz, learner_api, assert_problem,
                                                       shown):
    """The schema says `shown` is a string; DRF alone would read 0 as "0"."""
    response = post(learner_api, quiz.single, {"answer": 1, "shown": shown})

    problem = assert_problem(response, 400, code="invalid", language="en")
    assert [error["attr"] for error in problem["errors"]] == ["shown"]
    assert not Attempt.objects.exists()


def test_an_unknown_or_unpublished_question_is_a_404_problem(quiz, learner_api, assert_problem):
    quiz.multiple.is_published = False
    quiz.multiple.save()

    assert_problem(post(learner_api, quiz.multiple, {"answer": [1]}, "en"), 404,
                   code="not_found", language="en")
    response = learner_api.post("/api/v1/questions/999999/attempts/", {"answer": 1},
                                format="json")
    assert_problem(response, 404, code="not_found")


def test_reading_the_attempts_url_is_not_allowed(quiz, learner_api, assert_problem):
    assert_problem(learner_api.get(attempts_url(quiz.single)), 405,
                   code="method_not_allowed")


def test_a_question_changed_since_it_was_shown_is_not_graded(quiz, learner_api):
    shown = {q["key"]: q for q in learner_api.get(quiz.url).json()["questions"]}["simulated"]
    Question.objects.filter(pk=quiz.simulated.pk).update(
        varied_params={"depth": {"min": 9, "max": 12}})

    response = post(learner_api, quiz.simulated, {"answer": 1.0, "shown": shown["shown"]})

    body = response.json()
    assert response.status_code == 200 and body["recorded"] is False
    assert body["format_error"]["code"] == "changed"
    assert not Attempt.objects.exists()


def test_answers_are_throttled_per_learner_with_a_429_problem(
    quiz, learner_api, other_learner_api, assert_problem, monkeypatch,
):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "attempts", "2/minute")
    for _attempt in range(2):
        assert post(learner_api, quiz.numeric, {"answer": "zero"}).status_code == 200

    response = post(learner_api, quiz.numeric, {"answer": "0.05"}, "en")

    assert_problem(response, 429, code="throttled", language="en")
    assert int(response["Retry-After"]) > 0
    assert post(other_learner_api, quiz.numeric, {"answer": "0.05"}).status_code == 201


def test_a_choice_id_sent_as_a_whole_float_is_that_choice(quiz, learner_api):
    """A client generated from an older schema typed ids as numbers and sent 4.0."""
    response = post(learner_api, quiz.single, {"answer": float(choice_id(quiz.single, "Certa"))})

    assert response.status_code == 201 and response.json()["correct"] is True


def test_the_answer_body_is_what_its_declared_fields_give(quiz, learner_api, monkeypatch):
    """AttemptOutcomeSerializer writes its body member by member (every answer sends it);
    DRF's generic way, from the declared fields the schema shows, must give the same."""
    written = []
    own = AttemptOutcomeSerializer.to_representation

    def both_ways(serializer, result):
        written.append((own(serializer, result),
                        serializers.Serializer.to_representation(serializer, result)))
        return written[-1][0]

    monkeypatch.setattr(AttemptOutcomeSerializer, "to_representation", both_ways)
    shown = {q["key"]: q for q in learner_api.get(quiz.url).json()["questions"]}
    sent = [
        (quiz.single, {"answer": choice_id(quiz.single, "Errada")}, "pt-br"),  # wrong
        (quiz.single, {"answer": choice_id(quiz.single, "Errada")}, "en"),  # repeated
        (quiz.single, {"answer": [choice_id(quiz.single, "Certa")]}, "en"),  # right
        (quiz.multiple, {"answer": [choice_id(quiz.multiple, "A")]}, "en"),  # partial
        (quiz.numeric, {"answer": "zero"}, "pt-br"),  # a format error
        (quiz.numeric, {"answer": "1"}, "en"),
        (quiz.numeric, {"answer": 2, "answered_at": "2026-01-02T03:04:05Z"}, "en"),
        (quiz.numeric, {"answer": 3}, "en"),
        (quiz.numeric, {"answer": 4}, "pt-br"),  # no tries left
        (quiz.simulated, {"answer": 1.0, "shown": shown["simulated"]["shown"]}, "pt-br"),
    ]
    for question, body, lang in sent:
        assert post(learner_api, question, body, lang).status_code in (200, 201)
    replayed = post(learner_api, quiz.single, {"answer": 1}, "en", HTTP_IDEMPOTENCY_KEY="k-1")
    assert post(learner_api, quiz.single, {"answer": 1}, "en",
                HTTP_IDEMPOTENCY_KEY="k-1").json() == replayed.json()

    assert len(written) == len(sent) + 2  # a replay is written again from the attempt
    for own_body, declared_body in written:
        assert json.dumps(own_body) == json.dumps(declared_body)  # members, order, types
    assert {body["state"]["can_answer"] for body, _declared in written} == {True, False}
    assert any(body["solution"] and body["explanation_html"] for body, _declared in written)
    assert any(body["format_error"] for body, _declared in written)
