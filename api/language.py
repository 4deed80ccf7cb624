"""The language of an API request: ``?lang=`` first, then ``Accept-Language``, then Portuguese.

The web pages take their language from the URL (``/en/...``); the API has no language in
its URLs, so an app names it per request. An unsupported ``?lang=`` is refused with a
400 (api/middleware.py); an unsupported ``Accept-Language`` falls through to the next
language it lists, then to Portuguese. ``Content-Language`` says what was served.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header

API_PATH_PREFIX = "/api/"


def is_api_request(request: HttpRequest) -> bool:
    """Return whether the request is for the API (its responses are JSON, never HTML pages)."""
    return request.path_info.startswith(API_PATH_PREFIX)


def supported_language(code: str) -> str | None:
    """Return the served language closest to ``code`` ("en-US" → "en", "pt" → "pt-br")."""
    try:
        return get_supported_language_variant(code.strip().lower())
    except LookupError:
        return None


def language_of_api_request(request: HttpRequest) -> str:
    """Return the language to answer in, falling back to Portuguese, the original."""
    requested = request.GET.get("lang", "")
    if requested and (language := supported_language(requested)):
        return language
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code != "*" and (language := supported_language(code)):
            return language
    return settings.LANGUAGE_CODE
