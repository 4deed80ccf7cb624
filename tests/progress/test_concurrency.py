"""Exactly one certificate, also when a learner's last answers arrive at the same moment
from two devices. Real concurrency needs a real database: these tests run threads, each
with its own PostgreSQL connection, and are skipped on SQLite (which serializes writes)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from progress.models import Certificate, LessonProgress
from progress.services import issue_certificate, mark_lesson_read, refresh_lesson_completion
from quizzes.models import Attempt

from .conftest import answer_question

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent transactions need PostgreSQL: set DATABASE_URL=postgres://... "
               "(SQLite runs one writer at a time, so there is no race to test)",
    ),
    pytest.mark.django_db(transaction=True),
]

ROUNDS = 6


def run_at_once(*calls) -> list[BaseException]:
    """Run the calls in threads released together; return the exceptions they raised."""
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call):
        try:
            barrier.wait(timeout=10)
            call()
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connections.close_all()  # this thread's connection

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def _learner(django_user_model, index: int):
    return django_user_model.objects.create_user(
        username=f"learner-{index}", password="x", first_name="Ana", last_name=f"L{index}"
    )


def _ready_for_the_last_two_answers(user, small_course):
    """Everything done but 1.1b and 2.1, the last questions of two different lessons."""
    answer_question(user, small_course.questions["1.1a"])
    mark_lesson_read(user=user, lesson=small_course.lessons[1])


def test_last_answers_of_two_lessons_from_two_devices_issue_one_certificate(
    small_course, django_user_model
):
    for index in range(ROUNDS):
        user = _learner(django_user_model, index)
        _ready_for_the_last_two_answers(user, small_course)
        errors = run_at_once(
            lambda user=user: answer_question(user, small_course.questions["1.1b"]),
            lambda user=user: answer_question(user, small_course.questions["2.1"]),
        )
        assert errors == []
        assert LessonProgress.objects.filter(user=user, completed_at__isnull=False).count() == 3
        # Neither missed (both answers committed, no certificate) nor doubled.
        assert Certificate.objects.filter(user=user).count() == 1


def test_the_same_last_answer_from_two_devices_issues_one_certificate(
    small_course, django_user_model
):
    for index in range(ROUNDS):
        user = _learner(django_user_model, index)
        _ready_for_the_last_two_answers(user, small_course)
        answer_question(user, small_course.questions["1.1b"])
        errors = run_at_once(
            *(lambda user=user: answer_question(user, small_course.questions["2.1"])
              for _ in range(2))
        )
        assert errors == []
        assert Certificate.objects.filter(user=user).count() == 1


def test_completions_refreshed_outside_the_answers_transaction_issue_one_certificate(
    small_course, django_user_model
):
    """refresh_lesson_completion takes the learner's lock itself: called on its own (after
    answers stored elsewhere), two last completions still see each other."""
    for index in range(ROUNDS):
        user = _learner(django_user_model, index)
        _ready_for_the_last_two_answers(user, small_course)
        for key in ("1.1b", "2.1"):
            question = small_course.questions[key]
            Attempt.objects.create(question=question, user=user, answer=[1], is_correct=True,
                                   score=1.0, language="en", snapshot={})
        errors = run_at_once(
            lambda user=user: refresh_lesson_completion(user=user,
                                                        lesson=small_course.lessons[0]),
            lambda user=user: refresh_lesson_completion(user=user,
                                                        lesson=small_course.lessons[2]),
        )
        assert errors == []
        assert Certificate.objects.filter(user=user).count() == 1


def test_concurrent_issuing_without_the_learner_lock_still_issues_once(
    small_course, django_user_model
):
    """The database constraint is the last word: eight callers racing straight to
    issue_certificate (no lock taken first) all get the same certificate."""
    for index in range(ROUNDS):
        user = _learner(django_user_model, index)
        codes: list[str] = []

        def issue(user=user, codes=codes):
            with transaction.atomic():
                codes.append(issue_certificate(user=user, course=small_course.course).code)

        assert run_at_once(*([issue] * 8)) == []
        assert Certificate.objects.filter(user=user).count() == 1
        assert len(codes) == 8 and len(set(codes)) == 1
