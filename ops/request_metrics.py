"""Time every request, labelled by its URL pattern so the number of series stays bounded.

A label per raw path would make a series per lesson, per question, per scanner's guess:
Prometheus's memory grows with each. The route is the pattern the request matched
(``<lang>/courses/<slug:course_slug>/<slug:lesson_slug>/``, the language prefix folded
into ``<lang>``), or ``<static>`` for WhiteNoise's files and ``<unmatched>`` for a path
no pattern matched; methods outside HTTP's usual ones are ``other``; the status is its
class (``2xx``).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .metrics import REQUEST_DURATION, uncounted

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "<unmatched>"
STATIC = "<static>"
LANGUAGE = "<lang>"


class RequestMetricsMiddleware:
    """Observe each request's duration (outermost, so every middleware's time counts)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")
        self.language_prefixes = tuple(f"{code}/" for code, _name in settings.LANGUAGES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        try:
            REQUEST_DURATION.labels(
                self.route(request), request.method if request.method in METHODS else "other",
                f"{response.status_code // 100}xx",
            ).observe(time.perf_counter() - started)
        except Exception:  # noqa: BLE001 - counting never fails a request (ops/metrics.py)
            uncounted("a request's duration")
        return response

    def route(self, request: HttpRequest) -> str:
        """Return the URL pattern ``request`` matched, with the language folded."""
        match = getattr(request, "resolver_match", None)
        if match is None:
            return STATIC if request.path.startswith(self.static_prefix) else UNMATCHED
        route = match.route
        if route.startswith(self.language_prefixes):
            return f"{LANGUAGE}/{route.split('/', 1)[1]}"
        return route
