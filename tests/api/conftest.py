"""Fixtures of the API tests: a client, a learner's token, a cache of one's own."""

import types
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from rest_framework.test import APIClient

from accounts.services import issue_token
from classroom.api_cache import CONTENT_GENERATION_KEY
from course.models import Course
from quizzes.models import Choice, Question

CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"

PROBLEM_MEMBERS = {"type", "title", "status", "detail", "code", "instance"}


@pytest.fixture
def course_text(db, monkeypatch):
    """The real course from content/, its text only: importing its questions runs the
    simulations to check every answer, seconds per test that these tests do not need."""
    monkeypatch.setattr("course.importer.LESSON_HOOKS", [])
    call_command("import_course", str(CONTENT_DIR), verbosity=0)
    return Course.objects.get(slug="redes-neurais")


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture(autouse=True)
def fresh_api_cache():
    """Start each test with no cached lesson body of an earlier test in view (the database
    is rolled back between tests, so ids and slugs come back with other contents)."""
    cache.delete(CONTENT_GENERATION_KEY)  # the next read starts a new generation


def _fresh_learner(**fields):
    user = get_user_model().objects.create_user(**fields)
    # Ids come back after a rollback: forget what an earlier test's learner was counted.
    cache.delete(f"throttle_attempts_{user.pk}")
    return user


LEARNER_PASSWORD = "correct horse battery staple"


@pytest.fixture
def learner(db):
    return _fresh_learner(username="ana", password=LEARNER_PASSWORD,
                          first_name="Ana", last_name="Souza")


@pytest.fixture
def learner_token(learner):
    return issue_token(user=learner).token


@pytest.fixture
def learner_api(learner_token):
    """A client that sends the learner's token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {learner_token}")
    return client


@pytest.fixture
def other_learner_api(db):
    other = _fresh_learner(username="bruno", password="x" * 20)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(user=other).token}")
    client.user = other
    return client


@pytest.fixture
def assert_problem():
    """Return a check that a response is an RFC 9457 problem in a language; it returns the body."""

    def check(response, status: int, *, code: str | None = None, language: str = "pt-br"):
        assert response.status_code == status, response.content
        assert response["Content-Type"] == "application/problem+json"
        assert response["Content-Language"] == language
        body = response.json()
        assert PROBLEM_MEMBERS <= body.keys()
        assert body["status"] == status
        if code is not None:
            assert body["code"] == code
        return body

    return check


SIMULATED = {
    "simulation": "mlp_gradient_flow",
    "fixed_params": {"activation": "sigmoid", "init_std": 0.05, "width": 16, "batch_size": 8},
    "varied_params": {"depth": {"min": 4, "max": 8}},
    "quantity": "hidden_grad_ratio_first_to_last",
    "log_scale": True, "rtol": 0.0, "atol": 0.5,
}


@pytest.fixture
def quiz(make_lesson):
    """Lesson 1.1 (then 1.2) with four questions: single choice, multiple choice, a
    numeric one with a stored answer that shows its solution after two tries, and one
    checked by simulation (each learner's variant; the answer is computed)."""
    lesson = make_lesson(1, 1)
    following = make_lesson(1, 2, title_en="Next lesson")

    def question(key, kind, order, **fields):
        return Question.objects.create(
            lesson=lesson, key=key, kind=kind, order=order,
            prompt_pt_br=fields.pop("prompt_pt_br", f"Pergunta {key}?"),
            prompt_en=fields.pop("prompt_en", f"Question {key}?"),
            explanation_pt_br=fields.pop("explanation_pt_br", "Porque sim."),
            explanation_en=fields.pop("explanation_en", "Because."), **fields)

    single = question("single", Question.Kind.SINGLE, 1)
    for order, (text, correct) in enumerate([("Errada", False), ("Certa", True),
                                             ("Outra", False)]):
        Choice.objects.create(question=single, order=order, text_pt_br=text,
                              text_en=f"{text} (en)", is_correct=correct,
                              feedback_pt_br=f"Sobre {text}", feedback_en=f"About {text}")
    multiple = question("multiple", Question.Kind.MULTIPLE, 2, partial_credit=True)
    for order, (text, correct) in enumerate([("A", True), ("B", True), ("C", False)]):
        Choice.objects.create(question=multiple, order=order, text_pt_br=text, text_en=text,
                              is_correct=correct)
    numeric = question("numeric", Question.Kind.NUMERIC, 3, answer=0.05, rtol=0.02,
                       max_tries=3, solution_policy=Question.SolutionPolicy.AFTER_TRIES,
                       solution_after_tries=2, explanation_after_tries=1)
    simulated = question("simulated", Question.Kind.NUMERIC, 4,
                         prompt_pt_br="Com {depth} camadas, qual a razão?",
                         prompt_en="With {depth} layers, what is the ratio?", **SIMULATED)
    return types.SimpleNamespace(lesson=lesson, next=following, single=single,
                                 multiple=multiple, numeric=numeric, simulated=simulated,
                                 url="/api/v1/courses/course/lessons/lesson-1-1/")


def choice_id(question, text_pt_br):
    return question.choices.get(text_pt_br=text_pt_br).pk
