"""Learner pages: the course list and a course's chapters (a lesson's page is
``classroom.views``)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from .lesson_figures import describe_figure
from .models import Course, Lesson

# The figure a first-time visitor sees on the home page: the seed lesson's comparison of
# sigmoid and ReLU gradients, the chapter's subject in one picture.
HOME_FIGURE = ("problemas-de-vanishing-e-exploding-gradient", "sigmoid-vs-relu")


def course_list(request):
    courses = list(Course.objects.filter(is_published=True).order_by("order", "slug"))
    context = {"courses": courses}
    if courses:
        chapters = list(courses[0].chapters.prefetch_related("lessons"))
        lessons = [lesson for chapter in chapters for lesson in chapter.lessons.all()]
        context.update(chapters=chapters, first_lesson=lessons[0] if lessons else None,
                       figure=_home_figure(lessons))
    return render(request, "course/course_list.html", context)


def _home_figure(lessons: list[Lesson]) -> dict | None:
    lesson_slug, name = HOME_FIGURE
    lesson = next((lesson for lesson in lessons if lesson.slug == lesson_slug), None)
    spec = next((spec for spec in (lesson.figures if lesson else []) if spec["name"] == name),
                None)
    return describe_figure(lesson, spec, get_language()) if spec else None


def course_detail(request, course_slug: str):
    course = get_object_or_404(Course, slug=course_slug, is_published=True)
    chapters = list(course.chapters.prefetch_related("lessons"))
    # The total is the sum of the times the page lists, in the reader's language (the
    # certificate's study time, progress.services.course_study_minutes, is Portuguese's).
    total_minutes = sum(lesson.reading_minutes for chapter in chapters
                        for lesson in chapter.lessons.all())
    return render(request, "course/course_detail.html",
                  {"course": course, "chapters": chapters, "total_minutes": total_minutes})
