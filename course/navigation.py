"""Reading order: the lesson before and after another, across chapter boundaries."""

from __future__ import annotations

from django.db.models import Q

from .models import Lesson


def _lessons_of_course(lesson: Lesson):
    return Lesson.objects.filter(course_id=lesson.course_id).select_related("chapter", "course")


def next_lesson(lesson: Lesson) -> Lesson | None:
    """Return the next lesson in reading order, crossing chapter boundaries."""
    chapter_number = lesson.chapter.number
    return (
        _lessons_of_course(lesson)
        .filter(
            Q(chapter__number__gt=chapter_number)
            | Q(chapter__number=chapter_number, number__gt=lesson.number)
        )
        .in_reading_order()
        .first()
    )


def previous_lesson(lesson: Lesson) -> Lesson | None:
    """Return the previous lesson in reading order, crossing chapter boundaries."""
    chapter_number = lesson.chapter.number
    return (
        _lessons_of_course(lesson)
        .filter(
            Q(chapter__number__lt=chapter_number)
            | Q(chapter__number=chapter_number, number__lt=lesson.number)
        )
        .order_by("-chapter__number", "-number")
        .first()
    )
