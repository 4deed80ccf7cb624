"""Completion rules, idempotent reporting and automatic issuance (progress/services.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from progress.models import Certificate, LessonProgress
from progress.services import (
    course_study_minutes,
    issue_certificate,
    mark_lesson_read,
    refresh_lesson_completion,
    revoke_certificate,
)
from progress.workload import EXERCISE_MINUTES


def _progress(user, lesson) -> LessonProgress | None:
    return LessonProgress.objects.filter(user=user, lesson=lesson).first()


def test_opening_a_lesson_with_questions_marks_it_read_not_completed(learner, small_course):
    lesson = small_course.lessons[0]
    progress = mark_lesson_read(user=learner, lesson=lesson)
    assert progress.read_at is not None
    assert progress.completed_at is None


def test_a_lesson_without_questions_is_completed_by_reading_it(learner, small_course):
    progress = mark_lesson_read(user=learner, lesson=small_course.lessons[1])
    assert progress.completed_at is not None


def test_a_lesson_is_completed_once_every_question_is_answered_right(
    learner, small_course, answer
):
    lesson, questions = small_course.lessons[0], small_course.questions
    answer(learner, questions["1.1a"], right=True)
    assert _progress(learner, lesson).completed_at is None  # one of two
    answer(learner, questions["1.1b"], right=False)
    assert _progress(learner, lesson).completed_at is None  # a wrong answer is not enough
    answer(learner, questions["1.1b"], right=True)  # a retry that succeeds
    assert _progress(learner, lesson).completed_at is not None


def test_answering_completes_a_lesson_even_if_the_app_never_reported_it_read(
    learner, small_course, answer
):
    answer(learner, small_course.questions["2.1"])
    progress = _progress(learner, small_course.lessons[2])
    assert progress.completed_at is not None and progress.read_at is None


def test_unpublished_questions_do_not_count(learner, small_course, add_question, answer):
    lesson = small_course.lessons[2]
    add_question(lesson, "draft", published=False)
    answer(learner, small_course.questions["2.1"])
    assert _progress(learner, lesson).completed_at is not None


def test_a_question_added_after_completion_leaves_the_lesson_completed(
    learner, small_course, add_question, answer
):
    """Decision (docs/progress.md): completion is a fact of the day it happened. A new
    question is there to answer, but progress never goes backwards on its own."""
    lesson = small_course.lessons[2]
    answer(learner, small_course.questions["2.1"])
    completed_at = _progress(learner, lesson).completed_at
    new_question = add_question(lesson, "new")

    refresh_lesson_completion(user=learner, lesson=lesson)
    mark_lesson_read(user=learner, lesson=lesson)
    assert _progress(learner, lesson).completed_at == completed_at

    answer(learner, new_question, right=False)  # a wrong answer to it changes nothing either
    assert _progress(learner, lesson).completed_at == completed_at


def test_a_question_added_before_completion_must_be_answered(
    learner, small_course, add_question, answer
):
    lesson = small_course.lessons[0]
    answer(learner, small_course.questions["1.1a"])
    late = add_question(lesson, "late")
    answer(learner, small_course.questions["1.1b"])
    assert _progress(learner, lesson).completed_at is None
    answer(learner, late)
    assert _progress(learner, lesson).completed_at is not None


def test_reporting_a_read_twice_keeps_one_row_and_the_first_time(learner, small_course):
    lesson = small_course.lessons[0]
    first = timezone.now() - timedelta(days=2)
    mark_lesson_read(user=learner, lesson=lesson, at=first)
    again = mark_lesson_read(user=learner, lesson=lesson)
    assert again.read_at == first
    assert LessonProgress.objects.filter(user=learner, lesson=lesson).count() == 1


def test_refreshing_a_completion_twice_changes_nothing(learner, small_course, answer):
    lesson = small_course.lessons[2]
    answer(learner, small_course.questions["2.1"])
    completed_at = _progress(learner, lesson).completed_at
    refresh_lesson_completion(user=learner, lesson=lesson)
    refresh_lesson_completion(user=learner, lesson=lesson)
    assert _progress(learner, lesson).completed_at == completed_at
    assert LessonProgress.objects.filter(user=learner).count() == 1


def test_reading_a_finished_lesson_again_costs_one_query(
    learner, small_course, django_assert_num_queries
):
    lesson = small_course.lessons[1]
    mark_lesson_read(user=learner, lesson=lesson)
    with django_assert_num_queries(1):
        mark_lesson_read(user=learner, lesson=lesson)


def _complete_course(learner, small_course, answer):
    first, second, third = small_course.lessons
    questions = small_course.questions
    answer(learner, questions["1.1a"])
    answer(learner, questions["1.1b"])
    mark_lesson_read(user=learner, lesson=second)
    answer(learner, questions["2.1"])


def test_completing_the_last_lesson_issues_the_certificate(learner, small_course, answer):
    first, second, third = small_course.lessons
    answer(learner, small_course.questions["1.1a"])
    answer(learner, small_course.questions["1.1b"])
    mark_lesson_read(user=learner, lesson=second)
    assert not Certificate.objects.exists()  # 2.1 is still to do
    answer(learner, small_course.questions["2.1"])

    certificate = Certificate.objects.get()
    assert certificate.user == learner and certificate.course == small_course.course
    assert certificate.learner_name == "Ana Beatriz Souza"
    assert certificate.completed_at == _progress(learner, third).completed_at
    assert certificate.revoked_at is None


def test_certificate_hours_come_from_the_original_language_reading_times(
    learner, small_course, answer
):
    _complete_course(learner, small_course, answer)
    # Portuguese: 450, 150 and 620 words at 200 per minute, each rounded up: 3 + 1 + 4.
    assert course_study_minutes(small_course.course) == 8
    # The workload adds the three exercises (no exam here) and rounds to a quarter hour.
    exact = 8 + 3 * EXERCISE_MINUTES
    assert Certificate.objects.get().study_minutes == round(exact / 15) * 15


def test_the_certificate_keeps_the_name_it_was_issued_with(learner, small_course, answer):
    _complete_course(learner, small_course, answer)
    learner.first_name = "Maria"
    learner.save()
    certificate = Certificate.objects.get()
    assert certificate.learner_name == "Ana Beatriz Souza"
    assert issue_certificate(user=learner, course=small_course.course) == certificate


def test_answers_after_the_certificate_issue_nothing_more(learner, small_course, answer):
    _complete_course(learner, small_course, answer)
    answer(learner, small_course.questions["1.1a"], right=False)
    mark_lesson_read(user=learner, lesson=small_course.lessons[0])
    assert Certificate.objects.count() == 1


def test_a_revoked_certificate_is_not_issued_again(learner, small_course, answer):
    _complete_course(learner, small_course, answer)
    revoke_certificate(certificate=Certificate.objects.get(), reason="copied answers")
    refresh_lesson_completion(user=learner, lesson=small_course.lessons[2])
    certificate = Certificate.objects.get()
    assert certificate.is_revoked


def test_the_database_refuses_a_second_certificate_for_the_same_course(
    learner, small_course
):
    issue_certificate(user=learner, course=small_course.course)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(user=learner, course=small_course.course,
                                   learner_name="x", study_minutes=1,
                                   completed_at=timezone.now())


def test_codes_are_unguessable_and_distinct(db):
    from progress.models import CERTIFICATE_ALPHABET, new_certificate_code

    codes = {new_certificate_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in list(codes)[:50]:
        groups = code.split("-")
        assert [len(group) for group in groups] == [5, 5, 5, 5]  # 100 random bits
        assert set("".join(groups)) <= set(CERTIFICATE_ALPHABET)


def test_a_name_less_account_is_certified_under_its_username(small_course, answer,
                                                              django_user_model):
    user = django_user_model.objects.create_user(username="admin-made", password="x")
    _complete_course(user, small_course, answer)
    assert Certificate.objects.get().learner_name == "admin-made"
