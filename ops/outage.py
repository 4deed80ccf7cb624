"""A database outage answered as "come back in a moment" (503), not as a crash (500).

While PostgreSQL restarts, every query raises the driver's ``OperationalError`` (or
``InterfaceError`` on a connection that was cut). The API's exception handler answers
those with a 503 problem (api/problems.py); this middleware does the same for web pages
and any other view: a 503 page in the learner's language, or a problem for an API path,
both with ``Retry-After``. The next request opens a new connection (Django checks a
persistent one before reusing it: ``CONN_HEALTH_CHECKS``), so the app reconnects by
itself once the database is back. What was not acknowledged was not stored: the
transaction of a failed request is rolled back, and a retry is answered normally
(with the same ``Idempotency-Key``, once).

The page is rendered without the request's context processors: they read the session
and the user, which live in the database that is away.
"""

from __future__ import annotations

import logging
import sys

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import get_language

from api import errors
from api.language import is_api_request
from api.problems import (
    DATABASE_UNAVAILABLE,
    RETRY_AFTER_SECONDS,
    ServiceUnavailable,
    problem_response,
)

logger = logging.getLogger(__name__)


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """Return the 503 for ``request``: a problem for the API, a page otherwise."""
    if is_api_request(request):
        response = problem_response(request, ServiceUnavailable())
    else:
        response = HttpResponse(
            render_to_string("503.html", {"language_code": get_language(),
                                          "retry_after": RETRY_AFTER_SECONDS}),
            status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def is_database_outage(error: BaseException | None) -> bool:
    return isinstance(error, DATABASE_UNAVAILABLE)


class DatabaseOutageMiddleware:
    """Answer a view that lost the database with a 503 (the error is logged, briefly)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not is_database_outage(exception):
            return None
        logger.warning("database unavailable answering %s %s: %s", request.method,
                       request.path, exception.__class__.__name__)
        return unavailable_response(request)


def server_error(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """Django's handler500: a 503 if the error being handled (raised outside a view: a
    middleware, the session) is a database outage, else the API's or the site's 500."""
    if is_database_outage(sys.exc_info()[1]):
        return unavailable_response(request)  # the database is away for a moment
    return errors.server_error(request, *args, **kwargs)
