"""Inputs that once crashed the API (500) get a 400-level problem in the request's language."""

import json

import pytest
from django.test import override_settings

from quizzes.models import Attempt

from .conftest import choice_id

ATTEMPTS = "/api/v1/questions/{id}/attempts/"


def deeply_nested(levels: int) -> str:
    return "[" * levels + "]" * levels


@pytest.mark.django_db
def test_a_non_ascii_digit_in_a_query_is_a_field_problem(learner_api, assert_problem):
    response = learner_api.get("/api/v1/me/attempts/?question=%C2%B2&lang=en")
    body = assert_problem(response, 400, language="en")
    assert body["errors"][0]["attr"] == "question"
    assert body["errors"][0]["detail"] == "Enter a whole number."


@pytest.mark.django_db
def test_a_question_filter_that_is_not_a_number_is_refused_in_portuguese(
        learner_api, assert_problem):
    body = assert_problem(learner_api.get("/api/v1/me/attempts/?question=x"), 400)
    assert body["errors"][0]["detail"] == "Informe um número inteiro."


def test_a_huge_integer_answer_is_a_format_error_and_no_try(quiz, learner_api):
    """As any unreadable answer is (docs/api.md): 200, not recorded, the reason in words."""
    response = learner_api.post(ATTEMPTS.format(id=quiz.numeric.pk),
                                {"answer": int("9" * 400)}, format="json",
                                HTTP_ACCEPT_LANGUAGE="en")
    body = response.json()
    assert response.status_code == 200 and body["recorded"] is False
    assert body["format_error"]["code"] == "not_finite"
    assert body["format_error"]["message"]
    assert not Attempt.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("levels", [40, 50_000])
def test_deeply_nested_json_is_a_parse_problem(api, assert_problem, levels):
    response = api.post("/api/v1/auth/login/?lang=en", deeply_nested(levels),
                        content_type="application/json")
    body = assert_problem(response, 400, code="parse_error", language="en")
    assert "nested deeper than" in body["detail"]


@pytest.mark.django_db
def test_a_body_over_the_upload_limit_is_413(api, assert_problem):
    body = json.dumps({"username": "a" * 2000, "password": "x"})
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000):
        response = api.post("/api/v1/auth/login/", body, content_type="application/json")
    problem = assert_problem(response, 413)
    assert problem["title"] == "Conteúdo grande demais"


def test_a_lone_surrogate_in_an_answer_is_refused_and_no_try(quiz, learner_api, assert_problem):
    response = learner_api.post(ATTEMPTS.format(id=quiz.numeric.pk),
                                '{"answer": "\\ud800"}', content_type="application/json",
                                HTTP_IDEMPOTENCY_KEY="k-surrogate")
    body = assert_problem(response, 400, code="parse_error")
    assert "\\ud800" in body["detail"]
    assert not Attempt.objects.exists()


@pytest.mark.django_db
def test_a_lone_surrogate_in_an_email_does_not_register(api, assert_problem):
    response = api.post("/api/v1/auth/register/",
                        '{"username": "eva", "email": "\\ud800@example.com", '
                        '"password": "correct horse battery staple"}',
                        content_type="application/json")
    assert_problem(response, 400, code="parse_error")
    from django.contrib.auth import get_user_model
    assert not get_user_model().objects.filter(username="eva").exists()


@pytest.mark.parametrize("content_type", ["urlencoded", "multipart"])
def test_a_multiple_choice_answer_as_form_data_is_refused_not_truncated(
        quiz, learner_api, assert_problem, content_type):
    ids = [choice_id(quiz.multiple, "A"), choice_id(quiz.multiple, "B")]
    url = ATTEMPTS.format(id=quiz.multiple.pk)
    if content_type == "multipart":
        response = learner_api.post(url, {"answer": ids}, format="multipart")
    else:
        response = learner_api.post(url, "&".join(f"answer={i}" for i in ids),
                                    content_type="application/x-www-form-urlencoded")
    assert_problem(response, 415, code="unsupported_media_type")
    assert not Attempt.objects.exists()


@pytest.mark.django_db
def test_a_nul_in_json_text_is_refused_before_any_query(api, assert_problem,
                                                       django_assert_num_queries):
    with django_assert_num_queries(0):
        response = api.post("/api/v1/auth/register/?lang=en",
                            '{"username": "a\\u0000b", "email": "a@example.com"}',
                            content_type="application/json")
    body = assert_problem(response, 400, code="parse_error", language="en")
    assert "NUL character" in body["detail"]


@pytest.mark.django_db
def test_a_nul_in_a_query_parameter_is_a_problem(learner_api, assert_problem):
    response = learner_api.get("/api/v1/me/attempts/?question=1%00&lang=en")
    assert_problem(response, 400, code="parse_error", language="en")
