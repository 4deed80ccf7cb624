"""One open attempt and one grading, also when two devices of a learner start or submit at
the same moment. Real concurrency needs PostgreSQL: threads, each with its own connection;
skipped on SQLite (which serializes writes)."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections

from exams.models import Exam, ExamAttempt
from exams.services import start_attempt, submit_attempt
from quizzes.models import Choice, Question

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="concurrent transactions need PostgreSQL: set DATABASE_URL"),
    pytest.mark.django_db(transaction=True),
]


def run_at_once(*calls) -> list:
    """Run the calls in threads released together; return their results (or errors)."""
    barrier = threading.Barrier(len(calls))
    results: list = []

    def run(call):
        try:
            barrier.wait(timeout=10)
            results.append(call())
        except BaseException as error:  # noqa: BLE001 - reported by the test
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def small_exam(make_lesson):
    lesson = make_lesson(1, 1)
    question = Question.objects.create(lesson=lesson, key="q", prompt_pt_br="Qual?",
                                       explanation_pt_br="Porque.")
    Choice.objects.create(question=question, order=1, text_pt_br="certa", is_correct=True)
    Choice.objects.create(question=question, order=2, text_pt_br="errada")
    return Exam.objects.create(chapter=lesson.chapter, page=2, title_pt_br="Prova",
                               title_en="Exam", pass_percent=70)


@pytest.mark.parametrize("round_", range(4))
def test_concurrent_starts_open_one_attempt(small_exam, round_):
    user = get_user_model().objects.create_user(username=f"l{round_}", password="x")
    results = run_at_once(*[lambda: start_attempt(exam=small_exam, user=user,
                                                  language="pt-br")] * 3)
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert ExamAttempt.objects.filter(user=user).count() == 1
    assert sum(created for _attempt, created in results) == 1


@pytest.mark.parametrize("round_", range(4))
def test_concurrent_submits_grade_once(small_exam, round_):
    user = get_user_model().objects.create_user(username=f"s{round_}", password="x")
    attempt, _ = start_attempt(exam=small_exam, user=user, language="pt-br")
    item = attempt.items.get()
    item.answer = [item.question.choices.get(is_correct=True).pk]
    item.save()
    results = run_at_once(*[lambda: submit_attempt(attempt=attempt, user=user)] * 3)
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert len({r.submitted_at for r in results}) == 1
    assert {(r.percent, r.passed) for r in results} == {(100, True)}
    assert attempt.items.get().is_correct
