"""Refuse a NUL character in a query string or a form, on every page and API address.

PostgreSQL's text columns cannot store U+0000, so a NUL that reaches a query (a form
validator looking up an e-mail, a filter) was a 500 on PostgreSQL and nothing on
SQLite. No field of this site means it; one check here, before any view, keeps every
form and query parameter, present and future, from passing it on. JSON bodies are
checked by the API's parser (api/parsers.py).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views import defaults
from rest_framework.exceptions import ParseError

from api.language import is_api_request
from api.parsers import nul_message
from api.problems import problem_response

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def has_nul(request: HttpRequest) -> bool:
    """Return whether a query or form name or value holds a NUL character."""
    sources = [request.GET]
    # The API reads JSON bodies only, through its own parser; reading a form body here
    # would hand DRF a parsed form instead of the 415 it owes the client.
    if (request.method == "POST" and request.content_type in FORM_TYPES
            and not is_api_request(request)):
        sources.append(request.POST)
    return any("\x00" in name or any("\x00" in value for value in values)
               for source in sources for name, values in source.lists())


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not has_nul(request):
            return self.get_response(request)
        if is_api_request(request):
            return problem_response(request, ParseError(nul_message()))
        return defaults.bad_request(request, ParseError(nul_message()))
