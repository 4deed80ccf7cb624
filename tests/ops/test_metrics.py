"""/metrics: refused without its token, and after real requests its counters moved by
exactly what those requests did, labelled by URL pattern, never by raw path."""

from __future__ import annotations

import uuid

import pytest

from tests.api.conftest import choice_id
from tests.ops.metrics_scrape import (
    ANSWER_API,
    LESSON_PAGE,
    label_values,
    parse,
    requests,
    value,
)

TOKEN = "scrape-token-for-tests"


@pytest.fixture
def metrics_token(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.CELERY_BROKER_URL = ""


@pytest.fixture
def scrape(client, metrics_token):
    """Return a function that scrapes /metrics as Prometheus would and parses it."""

    def scrape() -> dict:
        response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/plain; version=")
        return parse(response.content.decode())

    return scrape


def test_metrics_is_not_found_while_no_token_is_configured(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


@pytest.mark.parametrize("authorization", [None, "Bearer wrong", f"Token {TOKEN}", TOKEN,
                                           f"Bearer {TOKEN}x"])
def test_metrics_refuses_a_request_without_the_token(client, metrics_token, authorization):
    headers = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}
    response = client.get("/metrics", **headers)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert b"gradiente_" not in response.content


def test_a_scrape_touches_no_database(scrape):
    """No ``db`` fixture: pytest-django fails any query this test would make."""
    assert scrape() is not None


def test_metrics_is_not_in_the_api_schema(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert not [path for path in schema["paths"] if "metrics" in path]


def test_a_lesson_page_is_counted_once_under_its_route_not_its_path(scrape, client, quiz):
    before = scrape()
    response = client.get("/en/courses/course/lesson-1-1/")
    assert response.status_code == 200
    after = scrape()

    assert requests(after, LESSON_PAGE) - requests(before, LESSON_PAGE) == 1
    routes = label_values(after, "route")
    assert not [route for route in routes if "lesson-1-1" in route]
    # The scrapes themselves are counted under their own route, once each.
    assert requests(after, "metrics") - requests(before, "metrics") == 1


def test_the_page_in_each_language_shares_one_route(scrape, client, quiz):
    before = scrape()
    client.get("/en/courses/course/lesson-1-1/")
    client.get("/pt-br/courses/course/lesson-1-1/")
    assert requests(scrape(), LESSON_PAGE) - requests(before, LESSON_PAGE) == 2


def test_an_unknown_path_and_an_odd_method_keep_the_labels_bounded(scrape, client, db):
    before = scrape()
    random_path = f"/no-such-page-{uuid.uuid4().hex}/"
    assert client.get(random_path).status_code in (302, 404)
    client.generic("BREW", "/healthz")
    after = scrape()

    assert not [route for route in label_values(after, "route") if "no-such-page" in route]
    unmatched = sum(requests(after, "<unmatched>", "GET", status)
                    - requests(before, "<unmatched>", "GET", status) for status in ("3xx", "4xx"))
    assert unmatched == 1
    assert requests(after, "healthz", "other", "4xx") - requests(
        before, "healthz", "other", "4xx") == 1
    assert "BREW" not in label_values(after, "method")


def test_an_answer_through_the_api_is_counted_by_outcome(
        scrape, quiz, learner_api, django_capture_on_commit_callbacks):
    before = scrape()
    url = f"/api/v1/questions/{quiz.single.pk}/attempts/"
    with django_capture_on_commit_callbacks(execute=True):
        wrong = learner_api.post(url, {"answer": choice_id(quiz.single, "Errada")},
                                 format="json")
    with django_capture_on_commit_callbacks(execute=True):
        right = learner_api.post(url, {"answer": choice_id(quiz.single, "Certa")},
                                 format="json")
    assert (wrong.status_code, wrong.json()["correct"]) == (201, False)
    assert (right.status_code, right.json()["correct"]) == (201, True)
    after = scrape()

    answers = "gradiente_answers_recorded_total"
    assert value(after, answers, outcome="wrong") - value(before, answers, outcome="wrong") == 1
    assert value(after, answers, outcome="correct") - value(
        before, answers, outcome="correct") == 1
    assert requests(after, ANSWER_API, "POST") - requests(before, ANSWER_API, "POST") == 2


def test_an_answer_rolled_back_is_not_counted(scrape, quiz, learner,
                                              django_capture_on_commit_callbacks):
    """Counted on commit: an answer whose transaction never commits was not recorded."""
    from django.db import transaction

    from quizzes.services import record_attempt

    before = scrape()
    with django_capture_on_commit_callbacks(execute=False) as pending:
        with transaction.atomic():
            record_attempt(question=quiz.single, user=learner, language="en",
                           answer=[choice_id(quiz.single, "Certa")])
    assert len(pending) >= 1  # the count waits for a commit that, here, never comes
    answers = "gradiente_answers_recorded_total"
    assert value(scrape(), answers, outcome="correct") == value(before, answers,
                                                                 outcome="correct")


def test_a_plot_is_a_cache_miss_then_a_hit(scrape, client, db):
    # A seed no other test asked for: the first request must draw it.
    seed = uuid.uuid4().int % 2**32
    url = f"/api/v1/simulations/activations/plot.svg?seed={seed}&lang=en"
    lookups = "gradiente_cache_lookups_total"
    before = scrape()

    assert client.get(url).status_code == 200
    middle = scrape()
    assert client.get(url).status_code == 200
    after = scrape()

    assert value(middle, lookups, cache="plot", result="miss") - value(
        before, lookups, cache="plot", result="miss") == 1
    assert value(middle, lookups, cache="plot", result="hit") == value(
        before, lookups, cache="plot", result="hit")
    assert value(after, lookups, cache="plot", result="hit") - value(
        middle, lookups, cache="plot", result="hit") == 1
    assert value(after, lookups, cache="plot", result="miss") == value(
        middle, lookups, cache="plot", result="miss")


def test_the_api_lesson_body_is_a_cache_miss_then_a_hit(scrape, quiz, learner_api):
    lookups = "gradiente_cache_lookups_total"
    before = scrape()
    assert learner_api.get(quiz.url).status_code == 200
    middle = scrape()
    assert learner_api.get(quiz.url).status_code == 200
    after = scrape()

    for cache in ("lesson_text", "lesson_questions"):
        assert value(middle, lookups, cache=cache, result="miss") - value(
            before, lookups, cache=cache, result="miss") == 1
        assert value(after, lookups, cache=cache, result="hit") - value(
            middle, lookups, cache=cache, result="hit") == 1
        assert value(after, lookups, cache=cache, result="miss") == value(
            middle, lookups, cache=cache, result="miss")


def test_no_queue_depth_is_reported_without_a_broker(scrape):
    samples = scrape()
    assert not [name for name, _labels in samples if name.startswith("gradiente_task_")]


def test_a_count_that_fails_never_fails_the_request(client, db, monkeypatch, caplog):
    """As when the multiprocess folder was removed: the page is served, the failure logged."""

    def broken(*labels):
        raise FileNotFoundError("metrics folder removed")

    monkeypatch.setattr("ops.metrics.REQUEST_DURATION.labels", broken)
    monkeypatch.setattr("ops.metrics.CACHE_LOOKUPS.labels", broken)
    response = client.get("/api/v1/simulations/activations/plot.svg?lang=en")

    assert response.status_code == 200
    assert {"a request's duration was not counted", "a cache lookup was not counted"} <= {
        record.getMessage() for record in caplog.records}
