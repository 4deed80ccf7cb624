"""Detail GETs carry an ETag and answer If-None-Match with 304 while nothing changed."""

import pytest

from course.models import Chapter

COURSE = "/api/v1/courses/course/"
LESSON = "/api/v1/courses/course/lessons/lesson-1-1/"


@pytest.fixture
def two_lessons(make_lesson):
    return make_lesson(1, 1), make_lesson(1, 2)


@pytest.mark.parametrize("url", [COURSE, LESSON])
def test_a_current_etag_gets_304_with_no_body_and_the_same_headers(two_lessons, api, url):
    first = api.get(url, {"lang": "en"})
    etag = first["ETag"]

    again = api.get(url, {"lang": "en"}, HTTP_IF_NONE_MATCH=etag)

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Content-Language"] == "en"
    assert "Accept-Language" in again["Vary"]


@pytest.mark.parametrize("url", [COURSE, LESSON])
def test_the_etag_differs_per_language(two_lessons, api, url):
    english, portuguese = api.get(url, {"lang": "en"}), api.get(url, {"lang": "pt-br"})

    assert english["ETag"] != portuguese["ETag"]
    assert api.get(url, {"lang": "pt-br"}, HTTP_IF_NONE_MATCH=english["ETag"]).status_code == 200


def test_editing_the_lesson_changes_its_etag(two_lessons, api):
    lesson, _next = two_lessons
    etag = api.get(LESSON)["ETag"]

    lesson.body_pt_br = "Texto revisto."
    lesson.save()

    response = api.get(LESSON, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_renaming_the_next_lesson_changes_the_etag_of_the_one_before(two_lessons, api):
    _lesson, following = two_lessons
    etag = api.get(LESSON)["ETag"]

    following.title_pt_br = "Outro título"
    following.save()

    assert api.get(LESSON, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_renaming_a_chapter_changes_the_course_etag(two_lessons, api):
    etag = api.get(COURSE)["ETag"]

    Chapter.objects.update(title_pt_br="Capítulo renomeado")

    assert api.get(COURSE, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_a_list_of_etags_or_a_weak_one_matches_too(two_lessons, api):
    etag = api.get(LESSON)["ETag"]

    assert api.get(LESSON, HTTP_IF_NONE_MATCH=f'"other", W/{etag}').status_code == 304
    assert api.get(LESSON, HTTP_IF_NONE_MATCH="*").status_code == 304
