"""The language of an API request: ``?lang=`` first, then ``Accept-Language``, then Portuguese.

The web pages take their language from the URL (``/en/...``); the API has no language in
its URLs, so an app names it per request. ``?lang=`` is one of the codes the schema's
enum lists, spelled as it spells them (``en``, ``pt-br``); anything else, an empty or a
repeated ``?lang=`` too, is refused with a 400 (api/middleware.py). ``Accept-Language``
is read as browsers write it: an unsupported language falls through to the next one it
lists, then to Portuguese. ``Content-Language`` says what was served.
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


def served_languages() -> list[str]:
    """Return the codes ``?lang=`` takes (the schema's enum)."""
    return [code for code, _name in settings.LANGUAGES]


def requested_language(request: HttpRequest) -> str | None:
    """Return the ``?lang=`` of the request if it is one the API serves, else None."""
    requested = request.GET.getlist("lang")
    if len(requested) == 1 and requested[0] in served_languages():
        return requested[0]
    return None


def language_of_api_request(request: HttpRequest) -> str:
    """Return the language to answer in, falling back to Portuguese, the original."""
    if language := requested_language(request):
        return language
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code != "*" and (language := supported_language(code)):
            return language
    return settings.LANGUAGE_CODE
