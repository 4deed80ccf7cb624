"""A lesson as one download, to read and answer without a connection.

The package is the lesson detail exactly as ``GET .../lessons/<lesson>/`` serves it to
this learner (text in Markdown and HTML, figures, questions in the learner's variant,
never with answers not yet due) plus every figure's image embedded as base64 PNG, so
that nothing else needs fetching. Each image names the ``src`` that ``body_html`` uses
for it, for the app to substitute. Answers given offline are sent later, one ``POST``
per answer with its ``Idempotency-Key``, its ``answered_at`` and the question's
``shown`` token (docs/api.md, "Offline").
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any
from urllib.parse import urlsplit

from django.http import Http404, HttpRequest
from django.utils.cache import quote_etag
from django.utils.translation import get_language

from course.lesson_figures import figure_image
from course.models import Lesson

from .api_cache import served_lesson

PACKAGE_FORMAT = "gradiente-lesson-package/1"


def lesson_package(request: HttpRequest, *, course_slug: str, lesson_slug: str
                   ) -> tuple[dict[str, Any], str]:
    """Return the package of a published lesson and its ETag; Http404 if there is none."""
    served = served_lesson(request, course_slug=course_slug, lesson_slug=lesson_slug)
    lesson = Lesson.objects.filter(course__slug=course_slug, course__is_published=True,
                                   slug=lesson_slug).only("figures").first()
    if lesson is None:
        raise Http404
    specs = {spec.get("name"): spec for spec in lesson.figures}
    language = get_language()
    detail = served.data
    images = []
    for figure in detail["figures"]:
        drawn = figure_image(specs.get(figure["name"]) or {}, language)
        if drawn is None:
            continue
        planned, image = drawn
        url = urlsplit(figure["url"])
        images.append({
            "name": figure["name"],
            "src": f"{url.path}?{url.query}" if url.query else url.path,
            "url": figure["url"],
            "media_type": image.content_type,
            "etag": quote_etag(planned.key),
            "width": image.width,
            "height": image.height,
            "alt": image.alt,
            "data": base64.b64encode(image.content).decode("ascii"),
        })
    package = {"format": PACKAGE_FORMAT, "language": language, "lesson": detail,
               "images": images}
    etag = hashlib.sha256("\n".join(
        [served.etag, *(image["etag"] for image in images)]).encode()).hexdigest()
    return package, quote_etag(etag[:32])
