"""What happens when a learner reads and answers: progress is recorded, certificates issued.

The rules (docs/progress.md):

- A lesson is *read* the first time a logged-in learner opens it (or the app reports it).
- It is *completed* when every published question of the lesson has been answered
  correctly at least once; a lesson without questions, when it has been read. Completion
  is never undone: a question added later is there to answer, but the lesson stays done.
- A course is complete when all its lessons are; its certificate is issued, once, when
  the course is complete and every (published) chapter exam of the course is passed:
  by the last lesson completed, or by the exam passed, whichever comes last.

Every function here is safe to call again: reporting the same thing twice changes nothing.
Writes take the learner's lock first (``accounts.services.lock_learner``), as
``quizzes.services.record_attempt`` does, so that a learner's answers and completions are
checked one at a time (two devices sending the last two answers at once: the second sees
the first's completion) and the locks are always taken in the same order (user row, then
progress rows, then certificate).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone
from modeltranslation.utils import build_localized_fieldname

from accounts.services import lock_learner
from course.models import Course, Lesson
from exams.models import Exam, ExamAttempt
from quizzes.models import Attempt, Question

from .models import Certificate, LessonProgress
from .workload import course_workload


def mark_lesson_read(
    *, user: AbstractBaseUser, lesson: Lesson, at: datetime | None = None
) -> LessonProgress:
    """Record that the learner opened the lesson (an upsert: the first read time is kept).

    Reading completes a lesson without questions, which may complete the course. A lesson
    already read and completed costs one query, so the lesson page can call this each time.
    """
    progress = LessonProgress.objects.filter(user=user, lesson=lesson).first()
    if progress is not None and progress.read_at and progress.completed_at:
        return progress
    at = at or timezone.now()
    with transaction.atomic():
        lock_learner(user)
        progress, _created = LessonProgress.objects.get_or_create(
            user=user, lesson=lesson, defaults={"read_at": at}
        )
        if progress.read_at is None:
            progress.read_at = at
            progress.save(update_fields=["read_at"])
        return _complete_if_done(user=user, lesson=lesson, progress=progress, at=at)


def complete_lesson_after_attempt(attempt: Attempt) -> None:
    """Refresh the lesson's completion after a correct answer is stored.

    Registered in ``quizzes.services.ATTEMPT_RECORDED_HOOKS`` (apps.py), so it runs
    inside the answer's transaction, under the learner's lock the answer already holds.
    A wrong answer cannot complete anything: it costs no query.
    """
    if attempt.is_correct:
        refresh_lesson_completion(user=attempt.user, lesson=attempt.question.lesson)


def refresh_lesson_completion(
    *, user: AbstractBaseUser, lesson: Lesson, at: datetime | None = None
) -> LessonProgress:
    """Record the lesson as completed if the learner's answers now meet its rule.

    Call it after an attempt is stored, in the same transaction, so that a completion is
    never recorded for an answer that was rolled back. Completing the last lesson of a
    course issues the course's certificate. Calling it again changes nothing.
    """
    with transaction.atomic(savepoint=False):  # the caller's transaction, if any
        lock_learner(user)
        progress, _created = LessonProgress.objects.get_or_create(user=user, lesson=lesson)
        return _complete_if_done(user=user, lesson=lesson, progress=progress,
                                 at=at or timezone.now())


def issue_certificate(
    *, user: AbstractBaseUser, course: Course, completed_at: datetime | None = None
) -> Certificate:
    """Issue the learner's certificate of the course, or return the one already issued.

    Exactly once: the database's unique constraint on (learner, course) decides between
    concurrent calls, and the loser returns the winner's certificate. The learner's name,
    the course's workload and what was passed (lessons, exams) are copied now. The caller
    checks that the course is complete and its exams passed (:func:`refresh_lesson_completion`
    and :func:`issue_after_exam` do).
    """
    certificate, _created = Certificate.objects.get_or_create(
        user=user, course=course,
        defaults={
            "learner_name": learner_name(user),
            "study_minutes": lambda: course_workload(
                course, reading_minutes=course_study_minutes(course)).minutes,
            "completed_at": completed_at or timezone.now(),
            "record": lambda: passed_record(user=user, course=course),
        },
    )
    return certificate


def issue_after_exam(attempt: ExamAttempt) -> None:
    """Issue the certificate when a passed exam completes what the course asks.

    Registered in ``exams.services.EXAM_SUBMITTED_HOOKS`` (apps.py): it runs inside the
    submission's transaction, under the learner's lock the submission holds.
    """
    if attempt.passed:
        _issue_if_course_complete(user=attempt.user, course_id=attempt.exam.chapter.course_id,
                                  at=attempt.submitted_at or timezone.now())


def passed_record(*, user: AbstractBaseUser, course: Course) -> dict:
    """Return what the learner passed, as the certificate keeps it: each lesson (number
    and title in every language) and each chapter exam's best passing score and date."""
    lessons = Lesson.objects.filter(course=course).select_related("chapter").in_reading_order()
    exams = []
    for exam in Exam.objects.filter(chapter__course=course, is_published=True).select_related(
            "chapter").order_by("chapter__number"):
        best = ExamAttempt.objects.filter(exam=exam, user=user, passed=True).order_by(
            "-percent", "submitted_at").first()
        if best is not None:
            exams.append({"chapter": exam.chapter.number, "title": _texts(exam, "title"),
                          "percent": best.percent, "pass_percent": exam.pass_percent,
                          "attempt": best.number, "submitted_at": best.submitted_at.isoformat()})
    return {
        "lessons": [{"number": lesson.full_number, "title": _texts(lesson, "title")}
                    for lesson in lessons],
        "exams": exams,
    }


def _texts(row, field: str) -> dict[str, str]:
    return {code: getattr(row, build_localized_fieldname(field, code)) or ""
            for code, _name in settings.LANGUAGES}


def exams_passed(*, user: AbstractBaseUser, course_id: int) -> bool:
    """Return whether the learner passed every published chapter exam of the course."""
    passed = ExamAttempt.objects.filter(exam=OuterRef("pk"), user=user, passed=True)
    return not Exam.objects.filter(chapter__course_id=course_id, is_published=True).exclude(
        Exists(passed)).exists()


def revoke_certificate(
    *, certificate: Certificate, reason: str, at: datetime | None = None
) -> Certificate:
    """Revoke a certificate: its public page then says so. Revoking twice keeps the first time."""
    if certificate.revoked_at is None:
        certificate.revoked_at = at or timezone.now()
        certificate.revoked_reason = reason
        certificate.save(update_fields=["revoked_at", "revoked_reason"])
    return certificate


def reinstate_certificate(*, certificate: Certificate) -> Certificate:
    """Undo a revocation made by mistake: the same code is valid again."""
    if certificate.revoked_at is not None:
        certificate.revoked_at, certificate.revoked_reason = None, ""
        certificate.save(update_fields=["revoked_at", "revoked_reason"])
    return certificate


def learner_name(user: AbstractBaseUser) -> str:
    """Return the name a certificate carries: the learner's full name (sign-up asks for it).

    An account without a name (one made in the admin) falls back to its username.
    """
    full_name = " ".join(
        part.strip() for part in (getattr(user, "first_name", ""), getattr(user, "last_name", ""))
        if part and part.strip()
    )
    return full_name or user.get_username()


def course_study_minutes(course: Course) -> int:
    """Return the sum of the course's reading times in its original language (Portuguese).

    One number for the certificate in every language: a translation's word count differs.
    """
    field = build_localized_fieldname("reading_minutes", settings.MODELTRANSLATION_DEFAULT_LANGUAGE)
    return Lesson.objects.filter(course=course).aggregate(minutes=Sum(field))["minutes"] or 0


def _complete_if_done(
    *, user: AbstractBaseUser, lesson: Lesson, progress: LessonProgress, at: datetime
) -> LessonProgress:
    if progress.completed_at is None and _lesson_rule_met(user, lesson, progress):
        progress.completed_at = at
        progress.save(update_fields=["completed_at"])
        _issue_if_course_complete(user=user, course_id=lesson.course_id, at=at)
    return progress


def _lesson_rule_met(user: AbstractBaseUser, lesson: Lesson, progress: LessonProgress) -> bool:
    solved = Attempt.objects.filter(question=OuterRef("pk"), user=user, is_correct=True)
    counts = (
        Question.objects.filter(lesson=lesson, is_published=True)
        .annotate(is_solved=Exists(solved))
        .aggregate(total=Count("pk"), solved=Count("pk", filter=Q(is_solved=True)))
    )
    if counts["total"] == 0:
        return progress.read_at is not None
    return counts["solved"] == counts["total"]


def _issue_if_course_complete(*, user: AbstractBaseUser, course_id: int, at: datetime) -> None:
    completed = LessonProgress.objects.filter(
        lesson=OuterRef("pk"), user=user, completed_at__isnull=False
    )
    counts = (
        Lesson.objects.filter(course_id=course_id)
        .annotate(is_completed=Exists(completed))
        .aggregate(total=Count("pk"), completed=Count("pk", filter=Q(is_completed=True)))
    )
    if counts["total"] and counts["completed"] == counts["total"] and exams_passed(
            user=user, course_id=course_id):
        issue_certificate(user=user, course=Course.objects.get(pk=course_id), completed_at=at)
