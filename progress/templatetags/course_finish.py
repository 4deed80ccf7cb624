"""``{% course_finish course %}``: what passing the exam means for the learner's certificate.

The exam's result page shows it (the exams app cannot import progress: the tag is how the
page asks). Finishing is a moment: the certificate, when it has been issued, is linked
here; otherwise the lessons still standing between the learner and it are listed.
"""

from __future__ import annotations

from django import template

from course.models import Course, Lesson

from ..models import Certificate

register = template.Library()


@register.inclusion_tag("progress/_course_finish.html", takes_context=True)
def course_finish(context, course: Course) -> dict:
    user = context["request"].user
    certificate = Certificate.objects.filter(
        user=user, course=course, revoked_at__isnull=True).first()
    lessons_left = [] if certificate else list(
        Lesson.objects.filter(course=course, course__is_published=True)
        .exclude(progress__user=user, progress__completed_at__isnull=False)
        .select_related("chapter", "course").order_by("chapter__number", "number"))
    return {"course": course, "certificate": certificate, "lessons_left": lessons_left}
