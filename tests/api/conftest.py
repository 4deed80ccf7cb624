"""Fixtures of the API tests: a client, a learner's token, a cache of one's own."""

import copy
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from rest_framework.test import APIClient

from accounts.services import issue_token
from course.models import Course

CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"

PROBLEM_MEMBERS = {"type", "title", "status", "detail", "code", "instance"}


@pytest.fixture(scope="session", autouse=True)
def own_cache_prefix():
    """Keep this run's cache keys apart from those of other runs sharing the same Redis."""
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"gradiente-api-test-{uuid.uuid4().hex}"
    with override_settings(CACHES=caches):
        yield


@pytest.fixture(autouse=True)
def fresh_throttle_counters():
    """Start each test with nothing counted against the test client's address (127.0.0.1)."""
    scopes = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    cache.delete_many([f"throttle_{scope}_127.0.0.1" for scope in scopes])


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


@pytest.fixture
def learner_token(db):
    learner = get_user_model().objects.create_user(
        username="ana", password="correct horse battery staple", first_name="Ana",
        last_name="Souza",
    )
    return issue_token(user=learner).token


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
