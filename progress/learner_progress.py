"""How far a learner is in each course: the one computation behind the web page and the API.

:func:`learner_progress` reads with five queries however many courses, lessons and
answers there are (courses, lessons, the learner's progress rows, first answers,
certificates); everything else is counted in Python from those rows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, OuterRef, Q, Subquery

from course.models import Chapter, Course, Lesson
from quizzes.models import Attempt, Question

from .models import Certificate, LessonProgress

NOT_ISSUED = "not_issued"
VALID = "valid"
REVOKED = "revoked"


def percent(part: int, whole: int) -> int:
    """Return the whole percentage, rounded down: 100 only when everything is done."""
    return part * 100 // whole if whole else 0


@dataclasses.dataclass(frozen=True)
class LessonStatus:
    lesson: Lesson
    read: bool
    completed: bool


@dataclasses.dataclass(frozen=True)
class ChapterProgress:
    chapter: Chapter
    lessons: tuple[LessonStatus, ...]

    @property
    def lessons_total(self) -> int:
        return len(self.lessons)

    @property
    def lessons_completed(self) -> int:
        return sum(status.completed for status in self.lessons)

    @property
    def percent(self) -> int:
        return percent(self.lessons_completed, self.lessons_total)

    @property
    def is_complete(self) -> bool:
        return bool(self.lessons) and self.lessons_completed == self.lessons_total


@dataclasses.dataclass(frozen=True)
class FirstTryAccuracy:
    """Of the questions the learner has answered, how many were right the first time."""

    answered: int = 0
    correct: int = 0

    @property
    def percent(self) -> int | None:
        return percent(self.correct, self.answered) if self.answered else None


@dataclasses.dataclass(frozen=True)
class CourseProgress:
    course: Course
    chapters: tuple[ChapterProgress, ...]
    next_lesson: Lesson | None
    first_try: FirstTryAccuracy
    certificate: Certificate | None

    @property
    def lessons(self) -> list[LessonStatus]:
        return [status for chapter in self.chapters for status in chapter.lessons]

    @property
    def lessons_total(self) -> int:
        return sum(chapter.lessons_total for chapter in self.chapters)

    @property
    def lessons_completed(self) -> int:
        return sum(chapter.lessons_completed for chapter in self.chapters)

    @property
    def lessons_incomplete(self) -> int:
        return self.lessons_total - self.lessons_completed

    @property
    def lessons_read(self) -> int:
        return sum(status.read for status in self.lessons)

    @property
    def percent(self) -> int:
        return percent(self.lessons_completed, self.lessons_total)

    @property
    def is_complete(self) -> bool:
        return self.lessons_total > 0 and self.lessons_incomplete == 0

    @property
    def is_started(self) -> bool:
        return any(status.read or status.completed for status in self.lessons) or bool(
            self.first_try.answered
        )

    @property
    def certificate_status(self) -> str:
        if self.certificate is None:
            return NOT_ISSUED
        return REVOKED if self.certificate.is_revoked else VALID


def learner_progress(
    *, user: AbstractBaseUser, courses: Iterable[Course] | None = None
) -> list[CourseProgress]:
    """Return the learner's progress in each course (every published course by default).

    The lesson to continue with is the first lesson not completed, starting from the one
    the learner read or completed last (so an unanswered question further back does not
    pull them back), then from the beginning; none once every lesson is completed.
    """
    if courses is None:
        courses = Course.objects.filter(is_published=True).order_by("order", "slug")
    courses = list(courses)
    if not courses or not user.is_authenticated:
        return [_course_progress(course, [], {}, FirstTryAccuracy(), None) for course in courses]
    ids = [course.pk for course in courses]
    lessons = _lessons(ids)
    activity = {
        lesson_id: (read_at, completed_at)
        for lesson_id, read_at, completed_at in LessonProgress.objects.filter(
            user=user, lesson__course_id__in=ids
        ).values_list("lesson_id", "read_at", "completed_at")
    }
    first_tries = _first_tries(user, ids)
    certificates = {
        certificate.course_id: certificate
        for certificate in Certificate.objects.filter(user=user, course_id__in=ids)
    }
    by_course: dict[int, list[Lesson]] = {course_id: [] for course_id in ids}
    for lesson in lessons:
        by_course[lesson.course_id].append(lesson)
    return [
        _course_progress(course, by_course[course.pk], activity,
                         first_tries.get(course.pk, FirstTryAccuracy()),
                         certificates.get(course.pk))
        for course in courses
    ]


def _lessons(course_ids: list[int]) -> list[Lesson]:
    """Read the courses' lessons with their chapters, without their text, in reading order."""
    text_fields = [field.name for field in Lesson._meta.concrete_fields
                   if field.name.startswith("body") or field.name == "figures"]
    return list(
        Lesson.objects.filter(course_id__in=course_ids)
        .select_related("chapter")
        .defer(*text_fields)
        .order_by("course_id", "chapter__number", "number")
    )


def _first_tries(user: AbstractBaseUser, course_ids: list[int]) -> dict[int, FirstTryAccuracy]:
    """Count, per course, the published questions answered and those right the first time."""
    first = (
        Attempt.objects.filter(question=OuterRef("pk"), user=user)
        .order_by("created_at", "id")
        .values("is_correct")[:1]
    )
    rows = (
        Question.objects.filter(lesson__course_id__in=course_ids, is_published=True)
        .annotate(first_correct=Subquery(first))
        .filter(first_correct__isnull=False)
        .order_by()
        .values("lesson__course_id")
        .annotate(answered=Count("pk"), correct=Count("pk", filter=Q(first_correct=True)))
    )
    return {row["lesson__course_id"]: FirstTryAccuracy(row["answered"], row["correct"])
            for row in rows}


def _course_progress(course: Course, lessons: list[Lesson], activity: dict, first_try,
                     certificate: Certificate | None) -> CourseProgress:
    if certificate is not None:
        certificate.course = course  # for its title and URLs, without another query
    chapters: dict[int, tuple[Chapter, list[LessonStatus]]] = {}
    statuses: list[LessonStatus] = []
    for lesson in lessons:
        lesson.course = course  # for get_absolute_url, without a query per lesson
        read_at, completed_at = activity.get(lesson.pk, (None, None))
        status = LessonStatus(lesson, read=read_at is not None, completed=completed_at is not None)
        chapters.setdefault(lesson.chapter_id, (lesson.chapter, []))[1].append(status)
        statuses.append(status)
    return CourseProgress(
        course=course,
        chapters=tuple(ChapterProgress(chapter, tuple(items))
                       for chapter, items in chapters.values()),
        next_lesson=_next_lesson(statuses, activity),
        first_try=first_try,
        certificate=certificate,
    )


def _next_lesson(statuses: list[LessonStatus], activity: dict) -> Lesson | None:
    def last_activity(status: LessonStatus):
        return max(moment for moment in activity.get(status.lesson.pk, ()) if moment is not None)

    touched = [index for index, status in enumerate(statuses) if status.read or status.completed]
    start = max(touched, key=lambda index: last_activity(statuses[index])) if touched else 0
    for status in statuses[start:] + statuses[:start]:
        if not status.completed:
            return status.lesson
    return None
