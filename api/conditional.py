"""Conditional GETs for API details: an ETag of what was served, and 304 when it is unchanged."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers, quote_etag
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match", str, OpenApiParameter.HEADER,
    description="The ETag of the copy the app holds; if it is still current the answer is "
                "304 with no body.",
)
ETAG = OpenApiParameter(
    "ETag", str, OpenApiParameter.HEADER, response=[200, 304], required=True,
    description="Changes whenever the body would (content or language).",
)
NOT_MODIFIED = OpenApiResponse(description="The copy named in If-None-Match is current.")
# A body that shows the learner's own state differs per token (or session cookie).
PER_LEARNER_VARY = ("Authorization", "Cookie")
VARY = OpenApiParameter(
    "Vary", str, OpenApiParameter.HEADER, response=[200, 304], required=True,
    description="`Accept-Language, Authorization, Cookie`: the body shows this learner's "
                "own state, so a shared cache must keep one copy per learner.",
)


def body_etag(data, language: str) -> str:
    """Return a strong ETag for a serialized body in a language."""
    body = json.dumps(data, cls=JSONEncoder, sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(f"{language}\n{body}".encode()).hexdigest()
    return quote_etag(digest[:32])


class ConditionalRetrieveMixin:
    """Give a retrieve view an ETag and answer ``If-None-Match`` with 304 Not Modified.

    The ETag hashes the body as serialized, so it changes with anything the body shows
    (a lesson's text, a neighbour's title) without the models keeping a version.
    """

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = body_etag(response.data, get_language())
        return get_conditional_response(request, etag=response["ETag"], response=response)


def answer_conditionally(request, etag: str, build: Callable[[], HttpResponse], *,
                         vary: tuple[str, ...] = ()) -> HttpResponse:
    """Answer 304 if ``If-None-Match`` names ``etag``, else ``build()``; both carry the ETag.

    The ETag is known before the body, so a current copy costs nothing to confirm: the
    body (a lesson's JSON, a simulation's run or plot) is built only when it is sent.
    """
    response = get_conditional_response(request, etag=etag) or build()
    response["ETag"] = etag
    patch_vary_headers(response, vary)
    return response


def conditional_response(request, data, etag: str, *, vary: tuple[str, ...] = ()) -> HttpResponse:
    """Answer with ``data`` and its ETag, or 304 if ``If-None-Match`` names that ETag."""
    return answer_conditionally(request, etag, lambda: Response(data), vary=vary)


def conditional_json(request, *, body: bytes, data: Callable[[], Any], etag: str,
                     vary: tuple[str, ...] = ()) -> HttpResponse:
    """As :func:`conditional_response`, for a body whose JSON was rendered in advance.

    A JSON client gets those bytes as they are (exactly what DRF's renderer writes); the
    browsable API gets ``data()`` rendered as usual.
    """
    if getattr(request.accepted_renderer, "format", "") != "json":
        return conditional_response(request, data(), etag, vary=vary)
    return answer_conditionally(
        request, etag,
        lambda: HttpResponse(body, content_type=request.accepted_renderer.media_type),
        vary=vary)
