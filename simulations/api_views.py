"""The simulations API: the catalogue, results as JSON, and plots as PNG or SVG.

Every result and image is named by a hash (see :func:`simulations.services.content_key`)
that is also its ETag: a client that sends it back in If-None-Match gets a 304 without
anything being run or drawn. Query parameters other than ``seed``, ``lang``, ``kind``
and ``format`` are the simulation's parameters; a bad one gets a 400 problem that
names it, in the request's language (``?lang=`` or Accept-Language, Portuguese by
default, set for every API request by ``api.middleware.ApiLanguageMiddleware``).

A result or image that is not cached yet is computed by a worker: the answer may be a 202
with a job to poll (see :mod:`simulations.api_jobs`). New runs are throttled and
anonymous ones limited in cost (:mod:`simulations.limits`).
"""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control, quote_etag
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api.conditional import ETAG, IF_NONE_MATCH, NOT_MODIFIED, answer_conditionally
from api.query import integer_query_param
from api.schema import ProblemSerializer

from . import api_jobs, limits, plots, registry, services
from .engine.core import ParameterError
from .errors import field_messages
from .serializers import SimulationSerializer

RESERVED = frozenset({"seed", "lang", "kind", "format", "layout"})
# Results change only with the engine version, which the URL does not carry: clients
# keep a response for a day and then revalidate it with its ETag (a cheap 304).
MAX_AGE = 24 * 3600


def query_seed(request) -> int:
    """Return ``?seed=`` as an int (default 0), or raise a 400 naming the field."""
    return integer_query_param(request, "seed", minimum=0, maximum=services.MAX_SEED,
                               default=services.DEFAULT_SEED)


def query_layout(request) -> str:
    """Return ``?layout=`` (default wide), or raise a 400 naming the field."""
    layout = request.GET.get("layout", "wide")
    if layout not in plots.LAYOUTS:
        raise ValidationError({"layout": [_("Choose one of: %(choices)s.") % {
            "choices": ", ".join(plots.LAYOUTS)}]})
    return layout


def query_params(request) -> dict[str, str]:
    """Return the simulation parameters of the query string (the last value of each)."""
    return {name: request.GET[name] for name in request.GET if name not in RESERVED}


def conditional(request, key: str, build) -> HttpResponse:
    """Answer If-None-Match with 304, else ``build()``; both carry the ETag and caching.

    A 202 (not computed yet) carries neither: it is no copy of the result.
    """
    response = answer_conditionally(request, quote_etag(key), build)
    if response.status_code == 202:
        del response["ETag"]
    else:
        patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def check_cost(request, slug: str, params) -> None:
    """Refuse, with a 400 naming the field, a run too costly for an anonymous client."""
    refused = limits.too_costly_for(request, registry.get(slug), params)
    if refused:
        field, message = refused
        raise ValidationError({field: [message]})


class SimulationAPIView(APIView):
    """Public, anonymous and cacheable: no authentication, so nothing per user to look up.

    Errors are JSON problems whatever the client accepts.
    """

    authentication_classes: tuple = ()
    permission_classes: tuple = ()

    def perform_content_negotiation(self, request, force=False):
        # An <img> may accept only image/*: answer errors in JSON rather than with a 406.
        # Results and images are built by hand, so only errors ever use the renderer.
        renderer = self.get_renderers()[0]
        return renderer, renderer.media_type


def get_simulation(slug: str):
    try:
        return registry.get(slug)
    except KeyError:
        raise NotFound(_("There is no simulation named “%(slug)s”.") % {"slug": slug}) from None


def check_format(fmt: str) -> None:
    if fmt not in plots.FORMATS:
        raise NotFound(_("Images are served as %(formats)s.") % {
            "formats": ", ".join(plots.FORMATS)})


def bad_parameters(error: ParameterError) -> ValidationError:
    return ValidationError(field_messages(error))


SEED = OpenApiParameter(
    "seed", {"type": "integer", "minimum": 0, "maximum": services.MAX_SEED},
    description="Seed of the random draws (0 to 2^32 - 1, default 0): same seed, same numbers.")
KIND = OpenApiParameter(
    "kind", OpenApiTypes.STR,
    description="Which plot of the simulation (see `plot_kinds` in the catalogue; default the "
                "first).")
LAYOUT = OpenApiParameter(
    "layout", str, enum=list(plots.LAYOUTS),
    description="`wide` (default: about 800 px, panels side by side) or `narrow` (about "
                "420 px, panels stacked, for a phone: the same text at a readable size).")
# Named for what it holds, not "params": generated clients have a variable of that name.
# An exploded form object: its name never appears in the URL, only its members do.
PARAMS = OpenApiParameter(
    "simulation_parameters", OpenApiTypes.OBJECT, style="form", explode=True,
    description="The simulation's parameters as query parameters, e.g. `?depth=20&"
                "activation=relu`; names, types, ranges and defaults are in the catalogue. "
                "A bad one is a 400 whose `errors` name it.")
FORMAT = OpenApiParameter(
    "fmt", str, OpenApiParameter.PATH, enum=list(plots.FORMATS),
    description="The image format; another is a 404 (there is no such image).")
ALT_TEXT = OpenApiParameter(
    "X-Alt-Text", str, OpenApiParameter.HEADER, response=[200], required=True,
    description="What the plot shows, computed from the numbers, in the response's language "
                "(percent-encoded UTF-8): the image's alt text.")
BAD_PARAMETERS = OpenApiResponse(ProblemSerializer, description=(
    "Bad parameters: the problem's `errors` has one message per parameter (`attr`)."))
IMAGES = {(200, "image/png"): OpenApiTypes.BINARY, (200, "image/svg+xml"): OpenApiTypes.BINARY}


class SimulationWorkView(SimulationAPIView):
    """A run or a plot: who asks matters (the learner's rate and cost limit), so the
    session or token is read, but only when needed (a costly or an uncached request)."""

    authentication_classes = APIView.authentication_classes

    def perform_authentication(self, request):
        pass  # lazily, at the first read of request.user


class SimulationListView(SimulationAPIView):
    @extend_schema(tags=["simulations"], responses=SimulationSerializer(many=True),
                   summary="List the simulations with their parameter schema")
    def get(self, request):
        simulations = registry.declarations()
        return Response(SimulationSerializer(simulations, many=True).data)


class SimulationDetailView(SimulationAPIView):
    @extend_schema(tags=["simulations"], responses=SimulationSerializer,
                   summary="Describe one simulation and its parameters")
    def get(self, request, slug: str):
        return Response(SimulationSerializer(get_simulation(slug)).data)


class SimulationRunView(SimulationWorkView):
    @extend_schema(
        tags=["simulations"], summary="Run a simulation and return its numbers",
        parameters=[SEED, PARAMS, IF_NONE_MATCH, ETAG, *api_jobs.WORK_HEADERS],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description=(
            "The result: per-layer or per-step numbers as lists, inf and NaN as null.")),
                   304: NOT_MODIFIED, 400: BAD_PARAMETERS, **api_jobs.WORK_RESPONSES},
    )
    def get(self, request, slug: str):
        get_simulation(slug)
        seed = query_seed(request)
        try:
            planned = services.plan_result(slug=slug, raw_params=query_params(request), seed=seed)
        except ParameterError as error:
            raise bad_parameters(error) from None
        check_cost(request, slug, planned.params)
        return conditional(request, planned.key,
                           lambda: api_jobs.deliver(request, planned, Response))


class SimulationPlotView(SimulationWorkView):
    @extend_schema(
        tags=["simulations"], summary="Draw a simulation's result as PNG or SVG",
        description="`fmt` is `png` or `svg`. Labels are in the request's language; the alt "
                    "text is in the `X-Alt-Text` header.",
        parameters=[FORMAT, SEED, KIND, LAYOUT, PARAMS, IF_NONE_MATCH, ETAG, ALT_TEXT,
                    *api_jobs.WORK_HEADERS],
        responses={**IMAGES, 304: NOT_MODIFIED, 400: BAD_PARAMETERS,
                   (202, "application/json"): api_jobs.ACCEPTED,
                   (429, "application/problem+json"): api_jobs.THROTTLED,
                   (503, "application/problem+json"): api_jobs.BUSY},
    )
    def get(self, request, slug: str, fmt: str):
        get_simulation(slug)
        check_format(fmt)
        seed = query_seed(request)
        try:
            planned = services.plan_lone_plot(
                slug=slug, raw_params=query_params(request), seed=seed,
                kind=request.GET.get("kind"), language=translation.get_language(), fmt=fmt,
                layout=query_layout(request))
        except ParameterError as error:
            raise bad_parameters(error) from None
        except KeyError:
            raise ValidationError({"kind": [_("Choose one of: %(choices)s.") % {
                "choices": ", ".join(kind.name for kind in registry.get(slug).plot_kinds)}]}
            ) from None
        for _label, params in planned.series:
            check_cost(request, slug, params)
        return image_response(request, planned)


def image_response(request, planned: services.PlotRequest) -> HttpResponse:
    """Return the image (or a 304) with its ETag, caching headers and alt text."""

    def respond(image) -> HttpResponse:
        response = HttpResponse(image.content, content_type=image.content_type)
        response["X-Alt-Text"] = _header_text(image.alt)
        return response

    return conditional(request, planned.key,
                       lambda: api_jobs.deliver(request, planned, respond))


class SimulationJobView(api_jobs.JobView, SimulationAPIView):
    pass


def _header_text(text: str) -> str:
    return quote(text, safe=" ,.:;()=^-")
