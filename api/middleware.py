"""Project middleware."""

from __future__ import annotations

from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from .language import (
    is_api_request,
    language_of_api_request,
    requested_language,
    served_languages,
)
from .problems import problem_response


class ApiLanguageMiddleware:
    """Answer every ``/api/`` request in the language it asks for, and say which.

    Sits after ``LocaleMiddleware``: for API paths it replaces that middleware's choice
    (which also reads the language cookie of the web pages) with ``?lang=`` or
    ``Accept-Language``, and marks every API response, errors and 304s included, with
    ``Content-Language`` (unless the view set it) and ``Vary: Accept-Language``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_api_request(request):
            return self.get_response(request)
        language = language_of_api_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = refuse_unknown_lang(request) or self.get_response(request)
        # A replayed response (an Idempotency-Key's) keeps the language it was given in.
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Accept-Language",))
        return response


def refuse_unknown_lang(request):
    """Answer a ``?lang=`` that is not one of the schema's enum with a 400 problem (a typo
    such as ``?lang=eng`` would otherwise be served in Portuguese)."""
    if "lang" not in request.GET or requested_language(request):
        return None
    choices = ", ".join(served_languages())
    return problem_response(request, ValidationError(
        {"lang": [_("Choose one of: %(choices)s.") % {"choices": choices}]}))
