"""Learner pages: the course list, a course's chapters, and a lesson."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from progress.services import mark_lesson_read
from quizzes.exercises import lesson_exercises

from .figures import embed_figures
from .models import Course, Lesson
from .navigation import next_lesson, previous_lesson


def course_list(request):
    courses = Course.objects.filter(is_published=True)
    return render(request, "course/course_list.html", {"courses": courses})


def course_detail(request, course_slug: str):
    course = get_object_or_404(Course, slug=course_slug, is_published=True)
    chapters = course.chapters.prefetch_related("lessons")
    return render(request, "course/course_detail.html", {"course": course, "chapters": chapters})


def lesson_detail(request, course_slug: str, lesson_slug: str):
    lesson = get_object_or_404(
        Lesson.objects.select_related("chapter", "course"),
        course__slug=course_slug, course__is_published=True, slug=lesson_slug,
    )
    if request.user.is_authenticated:
        mark_lesson_read(user=request.user, lesson=lesson)
    body = mark_safe(embed_figures(lesson, lesson.body_html, get_language()))  # noqa: S308 - sanitized on save
    context = {
        "lesson": lesson,
        "course": lesson.course,
        "body": body,
        "next_lesson": next_lesson(lesson),
        "previous_lesson": previous_lesson(lesson),
        **lesson_exercises(request, lesson),
    }
    return render(request, "course/lesson_detail.html", context)
