"""The queries a request makes do not grow with the number of chapters and lessons."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.services import issue_token


def _queries(api, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert response.status_code == 200
    return len(queries)


def _course(make_lesson, chapters: int, lessons_per_chapter: int, slug: str) -> None:
    for chapter in range(1, chapters + 1):
        for number in range(1, lessons_per_chapter + 1):
            make_lesson(chapter, number, course_slug=slug)


@pytest.mark.django_db
def test_course_list_queries_do_not_grow_with_courses_or_lessons(make_lesson, api):
    _course(make_lesson, 1, 1, "small")
    few = _queries(api, "/api/v1/courses/")

    for index in range(6):
        _course(make_lesson, 2, 3, f"big-{index}")
    many = _queries(api, "/api/v1/courses/")

    assert many == few == 2  # count, page


@pytest.mark.django_db
def test_course_detail_queries_do_not_grow_with_chapters_or_lessons(make_lesson, api):
    _course(make_lesson, 1, 2, "small")
    _course(make_lesson, 6, 8, "big")

    small = _queries(api, "/api/v1/courses/small/")
    big = _queries(api, "/api/v1/courses/big/")

    assert big == small == 3  # course, chapters, lessons


@pytest.mark.django_db
def test_lesson_detail_queries_do_not_grow_with_the_course(make_lesson, api):
    _course(make_lesson, 1, 3, "small")
    _course(make_lesson, 6, 8, "big")

    small = _queries(api, "/api/v1/courses/small/lessons/lesson-1-2/")
    big = _queries(api, "/api/v1/courses/big/lessons/lesson-3-4/")

    assert big == small == 3  # lesson with chapter and course, previous, next


@pytest.mark.django_db
def test_a_token_costs_two_queries_however_many_devices_are_logged_in(make_lesson, api):
    make_lesson(1, 1)
    learner = get_user_model().objects.create_user("ana", password="x")
    for _device in range(5):
        issue_token(user=learner)
    api.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(user=learner).token}")

    assert _queries(api, "/api/v1/courses/course/lessons/lesson-1-1/") == 3 + 2
