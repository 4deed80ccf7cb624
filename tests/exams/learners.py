"""A learner who answers right: what the exam and walking tests (web, API, browser) do."""

from __future__ import annotations

from django.db import transaction

from exams.models import ExamAttempt
from exams.services import save_answer
from exams.sheet import item_snapshot, item_variant
from progress.models import LessonProgress
from quizzes import grading
from quizzes.learner_variants import learner_variant
from quizzes.models import Question
from quizzes.services import question_snapshot, record_attempt


def right_answer(snapshot: grading.QuestionSnapshot, variant: grading.VariantAnswer | None):
    """Return the answer the grader accepts: the value, or the correct choices' ids."""
    if snapshot.kind == grading.NUMERIC:
        return grading.correct_value(snapshot, variant)
    ids = sorted(grading.correct_choice_ids(snapshot, variant))
    return ids[0] if snapshot.kind == grading.SINGLE else ids


def wrong_answer(snapshot: grading.QuestionSnapshot, variant: grading.VariantAnswer | None):
    if snapshot.kind == grading.NUMERIC:
        return grading.correct_value(snapshot, variant) * 1e6 + 1e6
    correct = grading.correct_choice_ids(snapshot, variant)
    wrong = [choice.id for choice in snapshot.choices if choice.id not in correct]
    return wrong[0] if snapshot.kind == grading.SINGLE else wrong[:1] or []


def complete_every_lesson(user, course) -> None:
    """Answer every published question of the course right, as the lesson page does."""
    for question in Question.objects.filter(lesson__course=course, is_published=True):
        variant = learner_variant(question=question, user=user)
        snapshot = question_snapshot(question=question, language="pt-br", variant=variant)
        with transaction.atomic():
            record_attempt(question=question, user=user, language="pt-br",
                           answer=right_answer(snapshot, variant and variant.answer))
    assert LessonProgress.objects.filter(user=user, completed_at__isnull=False).count() == \
        course.lessons.count()


def answer_attempt(attempt: ExamAttempt, user, *, right: int | None = None,
                   language: str = "pt-br") -> None:
    """Answer the attempt's first ``right`` questions right (all by default), the rest wrong."""
    items = list(attempt.items.select_related("question__lesson__course").order_by("position"))
    right = len(items) if right is None else right
    for index, item in enumerate(items):
        snapshot = item_snapshot(item, language)
        pick = right_answer if index < right else wrong_answer
        save_answer(item=item, user=user, language=language,
                    answer=pick(snapshot, item_variant(item)))
