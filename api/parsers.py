"""The API reads JSON bodies only, and refuses what no client means to send before any view sees it.

Form and multipart bodies are not offered: a form field repeated for a multiple-choice
answer (``answer=8&answer=9``) reaches a DRF serializer as its last value alone, so the
answer stored would not be the one sent. JSON says what it means, and the schema then
offers one media type that generated clients cannot get wrong.

What JSON allows but nothing downstream can handle is refused here, as a 400 problem:

- nesting deeper than :data:`MAX_DEPTH` (the C decoder itself fails with a RecursionError
  near a thousand levels, and everything that later walks the data, a serializer or a
  hash of the body, recurses too);
- lone UTF-16 surrogates (``"\\ud800"``): valid JSON escapes, but no UTF-8 text, so the
  database driver and the idempotency fingerprint cannot encode them;
- the NUL character (``"\\u0000"``): PostgreSQL's text columns cannot store it, and no
  field of this API means it;
- ``NaN`` and ``Infinity`` (not JSON; DRF's strict mode, kept on);
- bodies over ``DATA_UPLOAD_MAX_MEMORY_SIZE``, answered 413 before they are read.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers, status

# Deeper than any request body of this API (an answer is a list of ids at depth 2).
MAX_DEPTH = 32


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"

    def __init__(self):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        super().__init__(_("The request body is larger than %(limit)d bytes.") % {
            "limit": limit})


class JSONParser(parsers.JSONParser):
    """DRF's strict JSON parser with a size limit, a depth limit and text that is UTF-8."""

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        if request is not None and body_too_large(request.META):
            raise PayloadTooLarge()
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(too_deep_message()) from None
        check_json_value(data)
        return data


def body_too_large(meta: dict[str, Any]) -> bool:
    """Return whether the declared Content-Length exceeds Django's upload limit."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        length = int(meta.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return limit is not None and length > limit


def too_deep_message() -> str:
    return _("JSON nested deeper than %(limit)d levels is not accepted.") % {
        "limit": MAX_DEPTH}


def check_json_value(data: Any) -> None:
    """Raise ParseError if ``data`` nests too deep or holds a string that is not UTF-8.

    Walks the value with an explicit stack, so a deep value cannot exhaust Python's.
    """
    pending: list[tuple[Any, int]] = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise exceptions.ParseError(too_deep_message())
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str):
                    pending.append((key, depth))
                pending.append((item, depth + 1))
        elif isinstance(value, str) and not is_utf8_text(value):
            raise exceptions.ParseError(
                _("The text contains an unpaired surrogate (\\ud800-\\udfff), which is "
                  "not a character."))
        elif isinstance(value, str) and "\x00" in value:
            raise exceptions.ParseError(nul_message())


def nul_message() -> str:
    return _("The text contains a NUL character (\\u0000), which no field accepts.")


def is_utf8_text(text: str) -> bool:
    """Return whether ``text`` can be written as UTF-8 (no lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
