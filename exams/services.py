"""Sitting a chapter exam: start (or continue) an attempt, save answers, submit it once.

The rules (docs/progress.md, "Chapter exam"):

- A learner has at most one attempt open per exam; a new one (a retake, with a new draw)
  only once the previous one is submitted. The database's partial unique constraint
  decides between concurrent starts; the loser continues the winner's attempt.
- Answers are saved, and may be changed, until the attempt is submitted: nothing is
  graded or shown before. An answer that cannot be read (a typo in a number) is refused
  with grading's message in the learner's language, as on a lesson page.
- Submitting grades every question once, with the lessons' grader
  (:func:`quizzes.grading.grade`, one try each: an unanswered question scores 0), and
  records the score; submitting again returns the same attempt unchanged. Then
  :data:`EXAM_SUBMITTED_HOOKS` run in the same transaction (progress issues the
  certificate there).

Writes take the learner's lock first (``accounts.services.lock_learner``), then the
attempt's row, so that two devices of one learner act one at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.services import lock_learner
from quizzes import grading

from .draw import draw_attempt
from .models import Exam, ExamAttempt, ExamItem
from .sheet import item_snapshot, item_variant

# Apps above exams (progress) act on a submitted attempt through these, called with it
# inside the submission's transaction; exams imports none of them.
EXAM_SUBMITTED_HOOKS: list[Callable[[ExamAttempt], None]] = []


class AttemptClosed(Exception):
    """The attempt was submitted: its answers can no longer change."""


def open_attempt(*, exam: Exam, user: Any) -> ExamAttempt | None:
    return ExamAttempt.objects.filter(exam=exam, user=user, submitted_at__isnull=True).first()


def start_attempt(*, exam: Exam, user: Any, language: str) -> tuple[ExamAttempt, bool]:
    """Return the learner's open attempt, or start a new one; and whether it is new."""
    current = open_attempt(exam=exam, user=user)
    if current is not None:
        return current, False
    try:
        with transaction.atomic():
            lock_learner(user)
            current = open_attempt(exam=exam, user=user)
            if current is not None:
                return current, False
            last = ExamAttempt.objects.filter(exam=exam, user=user).aggregate(
                number=Max("number"))["number"] or 0
            drawn = draw_attempt(exam, user, number=last + 1)
            attempt = ExamAttempt.objects.create(exam=exam, user=user, number=last + 1,
                                                 language=language)
            ExamItem.objects.bulk_create(
                ExamItem(attempt=attempt, position=position, question=item.question,
                         variant=item.variant.to_dict() if item.variant else None,
                         fingerprint=item.fingerprint)
                for position, item in enumerate(drawn, start=1)
            )
            return attempt, True
    except IntegrityError:  # on SQLite, which has no row lock: the other start won
        return open_attempt(exam=exam, user=user), False


def save_answer(*, item: ExamItem, user: Any, answer: Any, language: str,
                answered_at: datetime | None = None) -> ExamItem:
    """Store the learner's answer to one question of their open attempt (not graded).

    An empty answer clears it. Raise :class:`quizzes.grading.FormatError` for an answer
    that cannot be read (its message: ``grading.text(language, error.code, **error.values)``)
    and :class:`AttemptClosed` once the attempt is submitted.
    """
    blank = answer in (None, "", []) or (isinstance(answer, str) and not answer.strip())
    with transaction.atomic():
        lock_learner(user)
        attempt = ExamAttempt.objects.select_for_update().get(pk=item.attempt_id)
        if attempt.is_submitted:
            raise AttemptClosed
        normalized = None if blank else grading.normalize_answer(
            item_snapshot(item, language), answer)
        item.answer = normalized if not isinstance(normalized, tuple) else list(normalized)
        item.answer_text = str(answer)[:100] if isinstance(answer, str) else ""
        item.answered_at = None if blank else (answered_at or timezone.now())
        item.save(update_fields=["answer", "answer_text", "answered_at"])
    return item


def submit_attempt(*, attempt: ExamAttempt, user: Any) -> ExamAttempt:
    """Grade the attempt once and record its score; again: return it as it was."""
    with transaction.atomic():
        lock_learner(user)
        attempt = ExamAttempt.objects.select_for_update().select_related(
            "exam__chapter__course").get(pk=attempt.pk)
        if attempt.is_submitted:
            return attempt
        items = list(attempt.items.select_related("question__lesson__course")
                     .prefetch_related("question__choices"))
        for item in items:
            _grade(item, attempt.language)
        ExamItem.objects.bulk_update(items, ["is_correct", "score", "snapshot"])
        attempt.score = sum(item.score for item in items)
        attempt.percent = int(attempt.score * 100 // len(items)) if items else 0
        # Compared without rounding: 69.9 % does not pass a mark of 70 %.
        attempt.passed = bool(items) and attempt.score * 100 >= attempt.exam.pass_percent * len(
            items)
        attempt.submitted_at = timezone.now()
        attempt.save(update_fields=["score", "percent", "passed", "submitted_at"])
        for hook in EXAM_SUBMITTED_HOOKS:
            hook(attempt)
    return attempt


def _grade(item: ExamItem, language: str) -> None:
    variant = item_variant(item)
    snapshot = item_snapshot(item, language)
    if item.answer is None:
        outcome = grading.Outcome(correct=False, score=0.0)
    else:
        outcome = grading.grade(snapshot, variant, item.answer)
        if outcome.format_error:  # a question edited since the answer: not the learner's doing
            outcome = grading.Outcome(correct=False, score=0.0,
                                      format_error=outcome.format_error)
    item.is_correct, item.score = outcome.correct, outcome.score
    item.snapshot = {"question": snapshot.to_dict(), "outcome": outcome.to_dict(),
                     "solution": grading.solution_text(snapshot, variant)}
