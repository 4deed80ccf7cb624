"""Redis stops: pages, plots, answers and progress keep working; Redis is used again when back.

The test runs a Redis server of its own and kills it (docs/adr/0004-cache-outage.md):
while it is away the cache misses and drops writes, throttles and the login limit count
in this process, and the database alone keeps answers exactly once.
"""

from __future__ import annotations

import time
import uuid

import pytest
import redis
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client, override_settings
from rest_framework.test import APIClient

from accounts.services import issue_token
from quizzes.models import Attempt, Choice, Question

pytestmark = [pytest.mark.system, pytest.mark.django_db]

PLOT = "/api/v1/simulations/activations/plot.png?lang=en"
RETRY_SECONDS = 0.2


@pytest.fixture
def redis_cache(own_redis):
    """The project's Redis cache on the test's own server, tried again soon after a failure."""
    prefix = f"outage-test-{uuid.uuid4().hex}"
    caches = {"default": {
        "BACKEND": "storage.redis_cache.RedisCache", "LOCATION": own_redis.url,
        "KEY_PREFIX": prefix,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5,
                    "OUTAGE_RETRY_SECONDS": RETRY_SECONDS}}}
    with override_settings(CACHES=caches):
        yield own_redis


@pytest.fixture
def exercise(make_lesson):
    lesson = make_lesson(1, 1)
    question = Question.objects.create(
        lesson=lesson, key="q", kind=Question.Kind.SINGLE, order=1, max_tries=None,
        prompt_pt_br="Pergunta?", prompt_en="Question?")
    choices = [Choice.objects.create(question=question, order=order, text_pt_br=text,
                                     text_en=text, is_correct=correct)
               for order, (text, correct) in enumerate([("A", False), ("B", True)])]
    return question, choices


def _keys_in(server) -> list[bytes]:
    return redis.Redis(port=server.port).keys("*")


def _learner_clients(name: str) -> tuple[Client, APIClient]:
    user = get_user_model().objects.create_user(username=name, password="x" * 20)
    web = Client()
    web.force_login(user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(user=user).token}")
    return web, api


def _use_everything(web: Client, api: APIClient, question, choice, key: str) -> None:
    """Read the lesson, the lab and a plot, answer on the web and the API, read progress."""
    for url in ("/en/courses/course/lesson-1-1/", "/en/lab/activations/", "/en/me/"):
        assert web.get(url).status_code == 200, url
    for url in ("/api/v1/me/progress/", "/api/v1/courses/course/lessons/lesson-1-1/"):
        assert api.get(url).status_code == 200, url
    plot = api.get(PLOT)
    assert plot.status_code == 200 and plot["Content-Type"] == "image/png"
    answered = web.post(f"/en/exercises/{question.pk}/answer/",
                        {f"q{question.pk}-answer": choice.pk})
    assert answered.status_code == 200
    url = f"/api/v1/questions/{question.pk}/attempts/"
    first = api.post(url, {"answer": choice.pk}, format="json", HTTP_IDEMPOTENCY_KEY=key)
    retry = api.post(url, {"answer": choice.pk}, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == 201, first.content
    assert retry.status_code == 201 and retry["Idempotent-Replayed"] == "true"
    assert retry.json() == first.json()


def test_everything_works_while_redis_is_down_and_redis_is_used_again_when_back(
        redis_cache, exercise):
    question, (wrong, right) = exercise
    web, api = _learner_clients("ana")
    _use_everything(web, api, question, wrong, "before")
    assert _keys_in(redis_cache)  # the plot, the lesson body, the throttle counters

    redis_cache.kill()
    started = time.monotonic()
    _use_everything(web, api, question, right, "during")
    assert time.monotonic() - started < 15  # degraded, not stuck on timeouts
    ready = web.get("/readyz")  # still in rotation: every process shares that Redis
    assert ready.status_code == 200 and ready.json()["status"] == "degraded"

    redis_cache.start()  # the same port, empty: as after a restart without persistence
    time.sleep(RETRY_SECONDS * 2)
    cache.get("wake-up")  # the first call after the pause tries Redis again
    assert api.get(PLOT).status_code == 200
    assert _keys_in(redis_cache), "the cache is used again without a restart"
    # Each answer once: a web and an API answer before, and the same during the outage.
    assert Attempt.objects.filter(question=question).count() == 4
    assert Attempt.objects.filter(idempotency_key="during").count() == 1


def test_throttles_and_the_login_limit_count_per_process_while_redis_is_down(redis_cache):
    get_user_model().objects.create_user(username="bia", password="right-password-123")
    redis_cache.kill()
    api = APIClient()

    statuses = [api.post("/api/v1/auth/login/", {"username": "bia", "password": "wrong"},
                         format="json").status_code for _attempt in range(5)]
    locked = api.post("/api/v1/auth/login/", {"username": "bia",
                                              "password": "right-password-123"}, format="json")

    assert statuses == [400] * 5
    assert locked.status_code == 429 and "token" not in locked.json()
    refused = [api.post("/api/v1/auth/login/", {}, format="json").status_code
               for _attempt in range(10)]
    assert 429 in refused  # the auth throttle's 10/minute still holds, in this process


def test_a_down_redis_is_logged_once_not_at_every_call(redis_cache, caplog):
    redis_cache.kill()
    for attempt in range(20):
        cache.get(f"key-{attempt}")
        time.sleep(RETRY_SECONDS / 4)

    warnings = [r for r in caplog.records if r.name == "storage.redis_cache"]
    assert len(warnings) == 1 and "unreachable" in warnings[0].getMessage()
