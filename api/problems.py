"""Every API error as an RFC 9457 problem (``application/problem+json``), in the request's language.

drf-standardized-errors does the handling (Django's Http404 and PermissionDenied become
API errors, a bug becomes a 500 that is logged and signalled, the transaction is rolled
back); this module replaces its output format with RFC 9457's:

    {"type": "about:blank", "title": "Not Found", "status": 404,
     "detail": "Not found.", "code": "not_found", "instance": "/api/v1/courses/nope/"}

``type`` is ``about:blank`` for errors that mean no more than their status (so ``title``
is the status phrase, translated), and ``VALIDATION_PROBLEM_TYPE`` for invalid input,
which adds ``errors``: one entry per message, naming the field (``attr``, dotted for
nested fields, null for the request as a whole) and its JSON pointer. ``code`` is DRF's
machine-readable code, for apps that branch on it.
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from drf_standardized_errors.formatter import ExceptionFormatter, flatten_errors
from drf_standardized_errors.handler import ExceptionHandler
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.settings import api_settings

from .parsers import PayloadTooLarge

PROBLEM_CONTENT_TYPE = "application/problem+json"
GENERIC_PROBLEM_TYPE = "about:blank"
VALIDATION_PROBLEM_TYPE = "/api/problems/validation-error"

# The status phrases of RFC 9110, as "about:blank" problems use them for titles.
STATUS_TITLES = {
    400: _("Bad Request"),
    401: _("Unauthorized"),
    403: _("Forbidden"),
    404: _("Not Found"),
    405: _("Method Not Allowed"),
    406: _("Not Acceptable"),
    409: _("Conflict"),
    412: _("Precondition Failed"),
    413: _("Content Too Large"),
    415: _("Unsupported Media Type"),
    422: _("Unprocessable Content"),
    429: _("Too Many Requests"),
    500: _("Internal Server Error"),
    503: _("Service Unavailable"),
}
VALIDATION_TITLE = _("Invalid input")
# What the database driver raises when the database cannot be reached (restarting, a
# dropped connection): a moment's outage, answered with a 503 to retry, not a 500.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5


class ServiceUnavailable(exceptions.APIException):
    """A 503 with ``Retry-After``: the database is unreachable for a moment."""

    status_code = 503
    default_detail = _("The service is briefly unavailable. Try again in a few seconds.")
    default_code = "service_unavailable"

    def __init__(self):
        super().__init__()
        self.wait = RETRY_AFTER_SECONDS


def problem_details(exc: exceptions.APIException, *, instance: str) -> dict:
    """Return the RFC 9457 body for an API error raised while answering ``instance``."""
    if isinstance(exc, exceptions.ValidationError):
        return _validation_problem(exc, instance=instance)
    return {
        "type": GENERIC_PROBLEM_TYPE,
        "title": str(STATUS_TITLES.get(exc.status_code, _("Error"))),
        "status": exc.status_code,
        "detail": _detail(exc),
        "code": _code(exc),
        "instance": instance,
    }


def problem_response(request: HttpRequest, exc: exceptions.APIException) -> JsonResponse:
    """Answer a request that never reached a DRF view (an unknown URL, a crash) as a problem."""
    return JsonResponse(
        problem_details(exc, instance=request.path), status=exc.status_code,
        content_type=PROBLEM_CONTENT_TYPE, json_dumps_params={"ensure_ascii": False},
    )


class ProblemFormatter(ExceptionFormatter):
    """drf-standardized-errors' formatter, writing RFC 9457 instead of its own format."""

    def run(self) -> dict:
        request = self.context.get("request")
        return problem_details(self.exc, instance=request.path if request else "")


class ProblemExceptionHandler(ExceptionHandler):
    """drf-standardized-errors' handler, labelling JSON error bodies as problem documents."""

    def convert_known_exceptions(self, exc: Exception) -> Exception:
        # Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE while a view reads it.
        if isinstance(exc, RequestDataTooBig):
            return PayloadTooLarge()
        if isinstance(exc, DATABASE_UNAVAILABLE):
            return ServiceUnavailable()
        return super().convert_known_exceptions(exc)

    def convert_unhandled_exceptions(self, exc: Exception) -> exceptions.APIException:
        # A bug: say so in the learner's language and reveal nothing of it.
        if isinstance(exc, exceptions.APIException):
            return exc
        return exceptions.APIException()

    def report_exception(self, exc: exceptions.APIException, response) -> None:
        # A 5xx that is the site protecting itself (``expected = True``: a full queue of
        # simulations) is no bug to report; the caller is told to retry.
        if not getattr(exc, "expected", False):
            super().report_exception(exc, response)

    def get_response(self, exc: exceptions.APIException, data: dict):
        response = super().get_response(exc, data)
        renderer = getattr(self.context.get("request"), "accepted_renderer", None)
        # The browsable API keeps its HTML page; everything else reads problem+json.
        if renderer is None or isinstance(renderer, JSONRenderer):
            response.content_type = PROBLEM_CONTENT_TYPE
        return response


def _validation_problem(exc: exceptions.ValidationError, *, instance: str) -> dict:
    errors = [_field_error(error) for error in flatten_errors(exc.detail)]
    return {
        "type": VALIDATION_PROBLEM_TYPE,
        "title": str(VALIDATION_TITLE),
        "status": exc.status_code,
        "detail": " ".join(
            f"{error['attr']}: {error['detail']}" if error["attr"] else error["detail"]
            for error in errors
        ),
        "code": "invalid",
        "instance": instance,
        "errors": errors,
    }


def _field_error(error) -> dict:
    attr = None if error.attr == api_settings.NON_FIELD_ERRORS_KEY else error.attr
    return {
        "attr": attr,
        "pointer": "#/" + attr.replace(".", "/") if attr else "#",
        "code": error.code,
        "detail": error.detail,
    }


def _detail(exc: exceptions.APIException) -> str:
    if getattr(exc, "reason", None):  # api.throttling.ThrottledWithReason
        return exc.reason
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        # DRF's own sentence is assembled in a way its catalogues cannot translate.
        return ngettext(
            "Too many requests. Try again in %(wait)d second.",
            "Too many requests. Try again in %(wait)d seconds.",
            exc.wait,
        ) % {"wait": exc.wait}
    return str(exc.detail)


def _code(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else exc.default_code
