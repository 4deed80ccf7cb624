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


def test_a_lessons_etag_changes_with_the_learners_own_state(quiz, learner, learner_api):
    from quizzes.services import record_attempt

    first = learner_api.get(quiz.url)
    assert {"Accept-Language", "Authorization", "Cookie"} <= {
        value.strip() for value in first["Vary"].split(",")}
    assert learner_api.get(quiz.url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    record_attempt(question=quiz.single, user=learner, answer=[], language="pt-br")  # unread
    assert learner_api.get(quiz.url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    record_attempt(question=quiz.numeric, user=learner, answer="1", language="pt-br")

    again = learner_api.get(quiz.url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and again["ETag"] != first["ETag"]


def test_learners_with_different_variants_get_different_etags(quiz, learner_api,
                                                              other_learner_api, api):
    etags = {client.get(quiz.url)["ETag"] for client in (learner_api, other_learner_api, api)}

    assert len(etags) == 3


def test_the_json_served_from_the_cache_is_what_drf_renders(quiz, learner_api):
    from rest_framework.renderers import JSONRenderer

    response = learner_api.get(quiz.url, HTTP_ACCEPT="application/json")
    html = learner_api.get(quiz.url, HTTP_ACCEPT="text/html")

    assert response["Content-Type"] == "application/json"
    assert response.content == JSONRenderer().render(response.json())
    assert html.status_code == 200 and html["Content-Type"].startswith("text/html")
    assert "Pergunta single?" in html.content.decode()  # the browsable API: the same data


@pytest.mark.django_db(transaction=True)
def test_an_answer_committed_through_the_api_changes_the_lessons_etag(quiz, learner_api):
    """Committed for real (no test transaction around it), an answer renews the learner's
    cached questions once, after its commit: the next read shows it."""
    first = learner_api.get(quiz.url)

    answered = learner_api.post(f"/api/v1/questions/{quiz.numeric.pk}/attempts/",
                                {"answer": "1"}, format="json")

    assert answered.status_code == 201
    again = learner_api.get(quiz.url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and again["ETag"] != first["ETag"]
    numeric = {q["key"]: q for q in again.json()["questions"]}["numeric"]
    assert numeric["state"]["tries_used"] == 1
