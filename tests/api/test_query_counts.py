"""The queries a request makes do not grow with the number of lessons, questions or options."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.services import issue_token
from classroom.api_cache import CONTENT_GENERATION_KEY
from course.models import Lesson
from quizzes.models import Choice, Question

from .conftest import SIMULATED

TOKEN = 2  # a token's queries, whatever the request
LOCK = int(connection.features.has_select_for_update)  # SQLite has no row locks to take
# The lock of an answer's Idempotency-Key: PostgreSQL's advisory lock; SQLite has none.
KEY_LOCK = int(connection.vendor == "postgresql")


def _statements(queries) -> int:
    """Count the statements a request sends (not the savepoints a test's transaction adds
    where the server, in autocommit, begins and commits)."""
    return sum(not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO"))
               for query in queries.captured_queries)


def _queries(api, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert response.status_code == 200
    return _statements(queries)


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


def _cold_queries(api, url) -> int:
    """Count the queries of a request that finds nothing in the cache."""
    cache.delete(CONTENT_GENERATION_KEY)
    return _queries(api, url)


def _questions(lesson, count: int, choices: int) -> list[Question]:
    """Give a lesson ``count`` questions of ``choices`` options each, and one simulated."""
    made = []
    for index in range(count):
        question = Question.objects.create(
            lesson=lesson, key=f"q{index}", order=index, kind=Question.Kind.MULTIPLE,
            prompt_pt_br="Qual?", explanation_pt_br="Porque.")
        Choice.objects.bulk_create(
            Choice(question=question, order=order, text_pt_br=f"opção {order}",
                   is_correct=order == 0) for order in range(choices))
        made.append(question)
    made.append(Question.objects.create(
        lesson=lesson, key="simulated", order=count, kind=Question.Kind.NUMERIC,
        prompt_pt_br="Com {depth} camadas?", explanation_pt_br="Porque.", **SIMULATED))
    return made


@pytest.fixture
def small_and_big(make_lesson):
    """A lesson with one question of two options in a course of three lessons, and one
    with eight questions of six options in a course of forty-eight."""
    _course(make_lesson, 1, 3, "small")
    _course(make_lesson, 6, 8, "big")
    small = Lesson.objects.get(course__slug="small", slug="lesson-1-2")
    big = Lesson.objects.get(course__slug="big", slug="lesson-3-4")
    return (_questions(small, 1, 2), _questions(big, 8, 6),
            "/api/v1/courses/small/lessons/lesson-1-2/", "/api/v1/courses/big/lessons/lesson-3-4/")


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["", "questions/"])
def test_anonymous_lesson_and_questions_queries_do_not_grow_with_the_course(
    small_and_big, api, suffix,
):
    _small_questions, _big_questions, small, big = small_and_big

    small_cold, big_cold = _cold_queries(api, small + suffix), _cold_queries(api, big + suffix)

    # lesson with chapter and course, previous, next, questions with their choices
    assert small_cold == big_cold == 4
    assert _queries(api, big + suffix) == 0  # cached


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["", "questions/"])
def test_a_learners_lesson_and_questions_queries_do_not_grow_with_the_course(
    small_and_big, learner_api, suffix,
):
    _small_questions, _big_questions, small, big = small_and_big

    first_small, first_big = _cold_queries(learner_api, small + suffix), _cold_queries(
        learner_api, big + suffix)
    small_cold, big_cold = _cold_queries(learner_api, small + suffix), _cold_queries(
        learner_api, big + suffix)

    # + the learner's token, their variants and their tries; the first time, one more to
    # store their variants (all at once)
    assert first_small == first_big == TOKEN + 4 + 2 + 1
    assert small_cold == big_cold == TOKEN + 4 + 2
    assert _queries(learner_api, big + suffix) == TOKEN  # cached: the token only


def _post_queries(api, question, answer, key) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api.post(f"/api/v1/questions/{question.pk}/attempts/", {"answer": answer},
                            format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 201, response.content
    return _statements(queries)


@pytest.mark.django_db
def test_an_answers_queries_do_not_grow_with_the_course_the_questions_or_the_options(
    small_and_big, learner_api,
):
    small_questions, big_questions, _small, _big = small_and_big
    counts = {}
    for name, question in (("small", small_questions[0]), ("big", big_questions[3])):
        wrong, right = (list(question.choices.order_by("-order").values_list("pk", flat=True)
                             [:1]), [question.choices.get(order=0).pk])
        counts[name] = (_post_queries(learner_api, question, wrong, f"{name}-1"),
                        _post_queries(learner_api, question, wrong, f"{name}-2"),
                        _post_queries(learner_api, question, right, f"{name}-3"))

    # Answering: the key's lock, the learner's lock, their tries (and any attempt with the key), the
    # attempt, the response stored with its key; the first time also the question with
    # its options and the next lesson (then cached); a right answer also completes the
    # lesson (lock, progress read and created, the lesson's rule).
    answer = KEY_LOCK + LOCK + 3
    assert counts["small"] == counts["big"] == (TOKEN + answer + 3, TOKEN + answer,
                                                TOKEN + answer + LOCK + 3)


@pytest.mark.django_db
def test_a_replayed_answer_costs_a_few_queries(small_and_big, learner_api):
    question = small_and_big[0][0]
    right = [question.choices.get(order=0).pk]
    _post_queries(learner_api, question, right, "once")

    # The key's lock, the learner's lock and the tries, which find the attempt with the
    # key, and that attempt; the key's row, which its constraint refuses, and the stored
    # response (the question is cached since the first answer).
    assert _post_queries(learner_api, question, right, "once") == TOKEN + KEY_LOCK + LOCK + 4


@pytest.mark.django_db
def test_a_token_costs_two_queries_however_many_devices_are_logged_in(make_lesson, api):
    make_lesson(1, 1)
    learner = get_user_model().objects.create_user("ana", password="x")
    for _device in range(5):
        issue_token(user=learner)
    api.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(user=learner).token}")

    assert _queries(api, "/api/v1/courses/") == 2 + TOKEN
