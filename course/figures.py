"""Place a lesson's simulation figures where its text says ``[[figure:name]]``."""

from __future__ import annotations

import re

from django.template.loader import render_to_string

from .lesson_figures import describe_figure
from .models import Lesson

_MARKER = re.compile(r"<p>\[\[figure:([a-z0-9-]+)\]\]</p>")


def figure_context(lesson: Lesson, name: str, language: str) -> dict | None:
    """Return the URL, alt text and caption of one figure, or None if it is not declared."""
    spec = next((fig for fig in lesson.figures if fig.get("name") == name), None)
    if spec is None:
        return None
    return describe_figure(lesson, spec, language)


def embed_figures(lesson: Lesson, body_html: str, language: str) -> str:
    """Replace each figure marker with the figure; an undeclared one disappears."""

    def replace(match: re.Match) -> str:
        figure = figure_context(lesson, match.group(1), language)
        if figure is None:
            return ""
        return render_to_string("course/_figure.html", {"figure": figure})

    return _MARKER.sub(replace, body_html)
