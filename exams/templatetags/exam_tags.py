"""Template filters of the exam pages."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from course.markdown import render_markdown

register = template.Library()


@register.filter
def exam_intro_html(exam) -> SafeString:
    """Render the exam's introduction (Markdown, in the active language)."""
    return mark_safe(render_markdown(exam.intro)) if exam.intro else SafeString("")  # noqa: S308
