"""Where a learner is in a course, for the course and home pages (which live in the course
app, below progress: they ask through these tags instead of importing it).

``{% course_progress_of course as progress %}``: the signed-in learner's CourseProgress
(None for a visitor). ``{{ progress|state_of:lesson }}``: "completed", "read" or
"not_started".
"""

from __future__ import annotations

from django import template

from course.models import Course, Lesson

from ..learner_progress import CourseProgress, learner_progress

register = template.Library()


@register.simple_tag(takes_context=True)
def course_progress_of(context, course: Course) -> CourseProgress | None:
    user = context["request"].user
    if not user.is_authenticated:
        return None
    (progress,) = learner_progress(user=user, courses=[course])
    return progress


@register.filter
def state_of(progress: CourseProgress | None, lesson: Lesson) -> str:
    if progress is None:
        return "not_started"
    status = next((s for s in progress.lessons if s.lesson.pk == lesson.pk), None)
    if status is not None and status.completed:
        return "completed"
    return "read" if status is not None and status.read else "not_started"
