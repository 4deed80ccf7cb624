"""The OpenAPI description of what every operation shares: language, and problem responses.

``ApiAutoSchema`` is drf-standardized-errors' AutoSchema (it works out which errors an
operation can answer: 401 only with authentication, 429 only when throttled, 404 with
path parameters or pagination, ...) describing those errors as ``Problem`` documents
(``application/problem+json``, see ``api.problems``), and adding to every
operation the ``lang`` query parameter, the ``Accept-Language`` header and the
``Content-Language`` response header.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter
from drf_standardized_errors.openapi import AutoSchema
from rest_framework import exceptions, serializers

from .language import served_languages
from .problems import PROBLEM_CONTENT_TYPE, problem_details


class ProblemFieldErrorSerializer(serializers.Serializer):
    attr = serializers.CharField(
        allow_null=True,
        help_text="The field, dotted for nested ones (`answers.0.value`); null when the "
                  "message is about the request as a whole.",
    )
    pointer = serializers.CharField(help_text="JSON pointer to the field in the request body.")
    code = serializers.CharField(help_text="Machine-readable reason (`required`, `invalid`, "
                                           "`unique`, `password_too_short`, ...).")
    detail = serializers.CharField(help_text="The message, in the response's language.")


class ProblemSerializer(serializers.Serializer):
    """An RFC 9457 problem: the shape of every error this API returns."""

    type = serializers.CharField(
        help_text="`about:blank` when the status says it all; "
                  "`/api/problems/validation-error` for invalid input (then `errors` lists "
                  "each message).",
    )
    title = serializers.CharField(help_text="Short summary of the problem type, translated.")
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(help_text="What went wrong this time, translated.")
    code = serializers.CharField(
        help_text="Machine-readable code: `not_found`, `not_authenticated`, "
                  "`authentication_failed`, `permission_denied`, `method_not_allowed`, "
                  "`throttled`, `invalid`, `parse_error`, ...",
    )
    instance = serializers.CharField(help_text="The path that was requested.")
    errors = ProblemFieldErrorSerializer(
        many=True, required=False,
        help_text="Present for invalid input only: one entry per message.",
    )


RETRY_AFTER_HEADER = OpenApiParameter(
    "Retry-After", int, OpenApiParameter.HEADER, response=[429], required=True,
    description="Seconds to wait before trying again.",
)


def language_parameters() -> list[OpenApiParameter]:
    """Return how a request names its language, and how the response says which it got."""
    languages = served_languages()
    return [
        OpenApiParameter(
            "lang", str, OpenApiParameter.QUERY, enum=languages,
            description="Language of every text in the response; overrides "
                        "Accept-Language. Portuguese (pt-br) is the original and the fallback. "
                        "Spelled as listed; any other value is refused with 400.",
        ),
        OpenApiParameter(
            "Accept-Language", str, OpenApiParameter.HEADER,
            description="Preferred languages, as browsers send them (`en-US,en;q=0.9`). "
                        "Used when `lang` is absent.",
        ),
        OpenApiParameter(
            "Content-Language", str, OpenApiParameter.HEADER, response=True, required=True,
            enum=languages, description="The language the response is in.",
        ),
    ]


ERROR_DESCRIPTIONS = {
    "400": "Invalid input (the problem lists each field's errors in `errors`) or a body "
           "that could not be parsed.",
    "401": "No token, or a token that is wrong, expired or revoked.",
    "403": "Authenticated, but not allowed to do this.",
    "404": "Nothing at this address: an unknown slug, a page past the end, or an unknown "
           "`?format=`.",
    "405": "This URL does not answer that method.",
    "406": "The Accept header names no format this API offers.",
    "415": "The request body is in a format this operation does not read.",
    "429": "Too many requests from this client; Retry-After says how long to wait.",
    "500": "A bug on the server; it has been logged.",
}


def example_errors() -> list[exceptions.APIException]:
    """Return one error per status, built now so that its messages are in today's language."""
    return [
        exceptions.ValidationError({"email": [_("Enter a valid email address.")]}),
        exceptions.ParseError(),
        exceptions.NotAuthenticated(),
        exceptions.PermissionDenied(),
        exceptions.NotFound(),
        exceptions.MethodNotAllowed("DELETE"),
        exceptions.NotAcceptable(),
        exceptions.UnsupportedMediaType("text/csv"),
        exceptions.Throttled(wait=42),
        exceptions.APIException(),
    ]


class ApiAutoSchema(AutoSchema):
    def get_override_parameters(self):
        return [*super().get_override_parameters(), *language_parameters(), RETRY_AFTER_HEADER]

    def _get_response_for_code(self, serializer, status_code, media_types=None,
                               direction="response"):
        response = super()._get_response_for_code(
            serializer, status_code,
            [PROBLEM_CONTENT_TYPE] if str(status_code) >= "400" else media_types, direction,
        )
        if not response.get("description"):
            response["description"] = ERROR_DESCRIPTIONS.get(str(status_code), "")
        return response

    def _get_error_response_examples(self) -> list[OpenApiExample]:
        # A view names the errors of its own (a 409, a 422) in ``problem_examples``.
        extra = [error() for error in getattr(self.view, "problem_examples", ())]
        return [
            OpenApiExample(
                type(error).__name__,
                value=problem_details(error, instance=self.path),
                response_only=True, status_codes=[str(error.status_code)],
                media_type=PROBLEM_CONTENT_TYPE,
            )
            for error in [*example_errors(), *extra]
        ]

