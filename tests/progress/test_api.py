"""The learner's progress and certificates in the API (progress/api_views.py), and that
the API and the web page give the same numbers."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.services import issue_token
from progress.models import LessonProgress
from progress.services import issue_certificate, mark_lesson_read, revoke_certificate

from .conftest import PASSWORD


@pytest.fixture
def api(learner):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(user=learner).token}")
    return client


def _course(body, slug="course"):
    [item] = [item for item in body["results"] if item["course"]["slug"] == slug]
    return item


def test_progress_needs_a_token(db):
    for url in ("/api/v1/me/progress/", "/api/v1/me/certificates/",
                "/api/v1/me/progress/course/"):
        response = APIClient().get(url)
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"
    assert APIClient().put("/api/v1/me/progress/course/lessons/x/read/").status_code == 401


def test_progress_lists_counts_percent_next_lesson_accuracy_and_certificate_status(
    api, learner, small_course, answer
):
    answer(learner, small_course.questions["1.1a"], right=False)
    answer(learner, small_course.questions["1.1a"], right=True)
    answer(learner, small_course.questions["1.1b"], right=True)
    body = api.get("/api/v1/me/progress/?lang=en").json()
    item = _course(body)
    assert item["course"]["title"] == "Course"
    assert (item["lessons_total"], item["lessons_completed"], item["lessons_incomplete"],
            item["percent"], item["is_complete"]) == (3, 1, 2, 33, False)
    assert item["next_lesson"]["number"] == "1.2"
    assert item["next_lesson"]["web_url"] == "http://testserver/en/courses/course/lesson-1-2/"
    assert item["first_try"] == {"answered": 2, "correct": 1, "percent": 50}
    assert item["certificate_status"] == "not_issued" and item["certificate"] is None
    assert [(chapter["number"], chapter["percent"]) for chapter in item["chapters"]] == [
        (1, 50), (2, 0)]
    assert item["chapters"][0]["lessons"][0] == {
        "number": "1.1", "slug": "lesson-1-1", "title": "Lesson 1.1", "read": False,
        "completed": True,
    }


def test_one_courses_progress(api, small_course):
    response = api.get("/api/v1/me/progress/course/")
    assert response.status_code == 200
    assert response.json()["course"]["slug"] == "course"
    assert api.get("/api/v1/me/progress/nope/").status_code == 404


def test_reporting_a_lesson_read_is_an_idempotent_put(api, learner, small_course):
    url = "/api/v1/me/progress/course/lessons/lesson-1-1/read/"
    first = api.put(url)
    assert first.status_code == 200
    again = api.put(url)
    assert again.json() == first.json()
    assert first.json()["read_at"] is not None and first.json()["completed_at"] is None
    assert first.json()["lesson"]["slug"] == "lesson-1-1"
    assert LessonProgress.objects.filter(user=learner).count() == 1
    assert api.post(url).status_code == 405
    assert api.put("/api/v1/me/progress/course/lessons/nope/read/").status_code == 404


def test_reporting_the_last_lesson_read_issues_the_certificate(
    api, learner, small_course, answer
):
    for key in ("1.1a", "1.1b", "2.1"):
        answer(learner, small_course.questions[key])
    body = api.put("/api/v1/me/progress/course/lessons/lesson-1-2/read/").json()
    assert body["completed_at"] is not None
    item = api.get("/api/v1/me/progress/course/").json()
    assert item["certificate_status"] == "valid"
    assert item["certificate"]["code"] == learner.certificates.get().code


def test_certificates_list_their_verification_and_pdf_urls(api, learner, small_course):
    certificate = issue_certificate(user=learner, course=small_course.course)
    body = api.get("/api/v1/me/certificates/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["count"] == 1
    [item] = body["results"]
    assert item["code"] == certificate.code
    assert item["status"] == "valid" and item["revoked_at"] is None
    assert item["learner_name"] == "Ana Beatriz Souza"
    assert item["study_minutes"] == certificate.study_minutes == 15  # 8 min + 3 exercises
    assert item["course"] == {"slug": "course", "title": "Course",
                              "url": "http://testserver/api/v1/courses/course/"}
    assert item["verification_url"] == f"http://testserver/en/certificates/{certificate.code}/"
    assert item["pdf_url"] == f"http://testserver/en/certificates/{certificate.code}/pdf/"
    assert set(item) == {"code", "course", "learner_name", "completed_at", "issued_at",
                         "study_minutes", "status", "revoked_at", "verification_url",
                         "pdf_url"}  # nothing about the account (no email, no username)
    pdf = APIClient().get(item["pdf_url"].removeprefix("http://testserver"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")

    revoke_certificate(certificate=certificate, reason="test")
    [item] = api.get("/api/v1/me/certificates/?lang=pt-br").json()["results"]
    assert item["status"] == "revoked" and item["revoked_at"] is not None
    assert "/pt-br/certificates/" in item["verification_url"]


def test_another_learners_certificates_are_not_listed(api, small_course, django_user_model):
    other = django_user_model.objects.create_user(username="bruno", password="x")
    issue_certificate(user=other, course=small_course.course)
    assert api.get("/api/v1/me/certificates/").json()["count"] == 0


def test_web_page_and_api_give_the_same_numbers(api, client, learner, small_course, answer):
    answer(learner, small_course.questions["1.1a"], right=True)
    answer(learner, small_course.questions["2.1"], right=False)
    answer(learner, small_course.questions["2.1"], right=True)
    mark_lesson_read(user=learner, lesson=small_course.lessons[0])
    client.login(username=learner.username, password=PASSWORD)
    [web] = client.get("/en/me/").context["courses"]
    item = _course(api.get("/api/v1/me/progress/?lang=en").json())
    assert item["lessons_total"] == web.lessons_total
    assert item["lessons_completed"] == web.lessons_completed
    assert item["lessons_incomplete"] == web.lessons_incomplete
    assert item["lessons_read"] == web.lessons_read
    assert item["percent"] == web.percent
    assert item["next_lesson"]["slug"] == web.next_lesson.slug
    assert item["first_try"]["percent"] == web.first_try.percent
    assert item["certificate_status"] == web.certificate_status
    assert [chapter["percent"] for chapter in item["chapters"]] == [
        chapter.percent for chapter in web.chapters]


def test_progress_endpoint_queries_do_not_grow_with_the_history(api, learner, small_course,
                                                                 answer):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/api/v1/me/progress/").status_code == 200
        return len(queries)

    before = count()
    for key in ("1.1a", "1.1b", "2.1"):
        answer(learner, small_course.questions[key], right=False)
        answer(learner, small_course.questions[key], right=True)
    mark_lesson_read(user=learner, lesson=small_course.lessons[1])
    assert count() == before


def test_the_openapi_schema_describes_the_progress_routes():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    assert "/api/v1/me/progress/" in paths
    assert "put" in paths["/api/v1/me/progress/{course_slug}/lessons/{lesson_slug}/read/"]
    assert "/api/v1/me/certificates/" in paths
    properties = schema["components"]["schemas"]["CourseProgress"]["properties"]
    assert {"percent", "next_lesson", "first_try", "certificate_status"} <= set(properties)
