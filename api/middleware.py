"""Project middleware."""

from __future__ import annotations

from django.utils import translation
from django.utils.cache import patch_vary_headers

from .language import is_api_request, language_of_api_request


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
        response = self.get_response(request)
        # A replayed response (an Idempotency-Key's) keeps the language it was given in.
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Accept-Language",))
        return response
