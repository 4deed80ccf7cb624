"""Sitting the chapter exam: draws, answers saved, one grading, retakes, the certificate."""

from __future__ import annotations

import json

import pytest

from exams.draw import chapter_questions, exam_length
from exams.models import ExamAttempt, ExamItem
from exams.services import AttemptClosed, save_answer, start_attempt, submit_attempt
from progress.models import Certificate
from quizzes import grading
from quizzes.models import Variant

from .conftest import answer_attempt, complete_every_lesson


def _params(answer: dict) -> str:
    return json.dumps(answer["params"], sort_keys=True)


def test_every_lesson_of_the_chapter_gives_questions(exam):
    attempt, created = start_attempt(exam=exam, user=_user(exam), language="pt-br")
    assert created
    lessons = {item.question.lesson_id for item in attempt.items.all()}
    assert lessons == set(exam.chapter.lessons.values_list("pk", flat=True))
    assert attempt.items.count() == exam_length(exam) == len(chapter_questions(exam))


def test_simulated_questions_come_first_with_variants_the_learner_has_not_met(exam, learner):
    complete_every_lesson(learner, exam.chapter.course)
    first, _ = start_attempt(exam=exam, user=learner, language="pt-br")
    for item in first.items.select_related("question"):
        assert item.question.simulation  # every lesson of 18 has one
        lesson_variant = Variant.objects.get(question=item.question, user=learner)
        assert item.variant["seed"] != lesson_variant.seed
        assert _params(item.variant) != json.dumps(lesson_variant.params, sort_keys=True) \
            or not item.question.varied_params
    answer_attempt(first, learner)
    submit_attempt(attempt=first, user=learner)
    second, created = start_attempt(exam=exam, user=learner, language="pt-br")
    assert created and second.number == 2
    earlier = {(row.question_id, _params(row.variant)) for row in first.items.all()}
    for item in second.items.all():
        assert item.variant["seed"] not in {row.variant["seed"] for row in first.items.all()}
        if (item.question_id, _params(item.variant)) in earlier:
            pytest.fail(f"{item.question} repeats an earlier attempt's variant")


def test_the_open_attempt_is_continued_not_drawn_again(exam, learner):
    attempt, created = start_attempt(exam=exam, user=learner, language="pt-br")
    again, created_again = start_attempt(exam=exam, user=learner, language="en")
    assert created and not created_again and again.pk == attempt.pk
    assert ExamAttempt.objects.count() == 1


def test_answers_are_saved_unread_ones_refused_in_the_learners_language(exam, learner):
    attempt, _ = start_attempt(exam=exam, user=learner, language="pt-br")
    numeric = attempt.items.filter(question__kind="numeric").first()
    with pytest.raises(grading.FormatError) as error:
        save_answer(item=numeric, user=learner, answer="doze", language="pt-br")
    assert grading.text("pt-br", error.value.code, **error.value.values).startswith(
        "Não consegui ler “doze”")
    save_answer(item=numeric, user=learner, answer="0,05", language="pt-br")
    numeric.refresh_from_db()
    assert numeric.answer == 0.05 and numeric.answer_text == "0,05"
    assert numeric.is_correct is None  # nothing graded before submission


def test_submitting_grades_once_and_again_changes_nothing(exam, learner):
    attempt, _ = start_attempt(exam=exam, user=learner, language="pt-br")
    total = attempt.items.count()
    answer_attempt(attempt, learner, right=total - 1)
    submitted = submit_attempt(attempt=attempt, user=learner)
    assert submitted.score == total - 1
    assert submitted.percent == (total - 1) * 100 // total
    assert submitted.passed == ((total - 1) * 100 >= exam.pass_percent * total)
    when = submitted.submitted_at
    again = submit_attempt(attempt=attempt, user=learner)
    assert again.submitted_at == when and again.score == submitted.score
    with pytest.raises(AttemptClosed):
        save_answer(item=attempt.items.first(), user=learner, answer="1", language="pt-br")


def test_unanswered_questions_score_nothing_and_fail(exam, learner):
    attempt, _ = start_attempt(exam=exam, user=learner, language="en")
    submitted = submit_attempt(attempt=attempt, user=learner)
    assert (submitted.score, submitted.percent, submitted.passed) == (0, 0, False)
    assert not ExamItem.objects.filter(attempt=attempt, is_correct=True).exists()


def test_certificate_waits_for_the_exam_and_records_it(exam, learner):
    course = exam.chapter.course
    complete_every_lesson(learner, course)
    assert not Certificate.objects.exists()  # lessons alone no longer earn it
    failed, _ = start_attempt(exam=exam, user=learner, language="pt-br")
    submit_attempt(attempt=failed, user=learner)
    assert not Certificate.objects.exists()
    passed, _ = start_attempt(exam=exam, user=learner, language="pt-br")
    answer_attempt(passed, learner)
    passed = submit_attempt(attempt=passed, user=learner)
    certificate = Certificate.objects.get(user=learner, course=course)
    [record] = certificate.record["exams"]
    assert record["percent"] == passed.percent == 100 and record["attempt"] == 2
    assert [lesson["number"] for lesson in certificate.record["lessons"]] == [
        lesson.full_number for lesson in course.lessons.select_related("chapter")
        .in_reading_order()]
    assert not certificate.predates_exam


def test_exam_passed_first_then_the_last_lesson_issues_the_certificate(exam, learner):
    attempt, _ = start_attempt(exam=exam, user=learner, language="pt-br")
    answer_attempt(attempt, learner)
    assert submit_attempt(attempt=attempt, user=learner).passed
    assert not Certificate.objects.exists()
    complete_every_lesson(learner, exam.chapter.course)
    assert Certificate.objects.get().record["exams"][0]["percent"] == 100


def _user(exam):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(username="x", password="x")
