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
    chapters = list(course.chapters.prefetch_related("lessons"))
    # The total is the sum of the times the page lists, in the reader's language (the
    # certificate's study time, progress.services.course_study_minutes, is Portuguese's).
    total_minutes = sum(lesson.reading_minutes for chapter in chapters
                        for lesson in chapter.lessons.all())
    return render(request, "course/course_detail.html",
                  {"course": course, "chapters": chapters, "total_minutes": total_minutes})
