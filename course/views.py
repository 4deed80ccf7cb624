"""Learner pages: the course list and a course's chapters (a lesson's page is
``classroom.views``)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render

from .models import Course


def course_list(request):
    courses = Course.objects.filter(is_published=True)
    return render(request, "course/course_list.html", {"courses": courses})


def course_detail(request, course_slug: str):
    course = get_object_or_404(Course, slug=course_slug, is_published=True)
    chapters = course.chapters.prefetch_related("lessons")
    return render(request, "course/course_detail.html", {"course": course, "chapters": chapters})
