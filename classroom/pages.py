"""The lesson page as a learner meets it: the text with its figures (``course``), the
exercises in the learner's state (``quizzes``) and the pages before and after."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from course.figures import embed_figures
from course.models import Lesson
from course.navigation import next_lesson, previous_lesson
from exams.models import Exam
from progress.services import mark_lesson_read
from quizzes.exercises import lesson_exercises


def lesson_page(request: HttpRequest, *, course_slug: str, lesson_slug: str) -> dict[str, Any]:
    """Return the context of a published lesson's page for this request; Http404 if none.

    Opening the page counts as reading the lesson for a logged-in learner. After an
    answer, ``quizzes.exercises.submit_answer`` has left the submission on the request,
    and its exercise comes back with the feedback in place of the blank form.
    """
    lesson = get_object_or_404(
        Lesson.objects.select_related("chapter", "course"),
        course__slug=course_slug, course__is_published=True, slug=lesson_slug,
    )
    if request.user.is_authenticated:
        mark_lesson_read(user=request.user, lesson=lesson)
    following = next_lesson(lesson)
    body = mark_safe(embed_figures(lesson, lesson.body_html, get_language()))  # noqa: S308 - sanitized on save
    return {
        "lesson": lesson,
        "course": lesson.course,
        "body": body,
        "next_lesson": following,
        "chapter_exam": exam_after(lesson, following),
        "previous_lesson": previous_lesson(lesson),
        **lesson_exercises(request, lesson),
    }


def exam_after(lesson: Lesson, following: Lesson | None) -> Exam | None:
    """Return the chapter's exam when ``lesson`` is the chapter's last; else None."""
    if following is not None and following.chapter_id == lesson.chapter_id:
        return None
    exam = Exam.objects.filter(chapter_id=lesson.chapter_id, is_published=True).first()
    if exam is not None:
        exam.chapter = lesson.chapter  # for its URL, without a query
    return exam
