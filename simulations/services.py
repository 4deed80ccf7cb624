"""Run simulations and draw their plots, through Django's cache.

Everything a simulation returns is a pure function of (simulation, normalized params,
seed, engine version), and an image also of the language and format, so one hash of
those names a response for good: it is the cache key and the HTTP ETag. The cache is
Django's default one (Redis when ``REDIS_URL`` is set, so every app process shares it).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.cache import cache

from ops.metrics import CacheName, count_cache_lookup

from . import plots, registry
from .engine.core import ENGINE_VERSION, normalized

# Entries never go stale (the engine version is in the key); the timeout only lets a
# shared cache forget what nobody asks for any more.
CACHE_TIMEOUT = 30 * 24 * 3600
DEFAULT_SEED = 0
MAX_SEED = 2**32 - 1


@dataclasses.dataclass(frozen=True)
class ResultRequest:
    """A validated request for one result, named by its key (the cache key and ETag)."""

    slug: str
    params: Any  # the simulation's frozen parameter object
    seed: int
    key: str


@dataclasses.dataclass(frozen=True)
class PlotRequest:
    """A validated request for one image of one or several labelled results."""

    slug: str
    kind: str
    series: tuple[tuple[str, Any], ...]  # (legend label, frozen parameters)
    seed: int
    language: str
    fmt: str
    key: str
    layout: str = "wide"


def content_key(
    *, slug: str, params: Any, seed: int, language: str = "", fmt: str
) -> str:
    """Return the sha256 that names one response: the cache key and the ETag.

    ``params`` is a simulation's normalized parameters, or for a figure of several
    results anything JSON can encode that names them (their labels and parameters).
    """
    payload = json.dumps(
        {"simulation": slug, "params": params, "seed": seed, "engine": ENGINE_VERSION,
         "language": language, "format": fmt},
        sort_keys=True, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def run_simulation(*, slug: str, raw_params: Mapping[str, Any] | None, seed: int) -> Any:
    """Validate the raw parameters and run the simulation (uncached).

    Raises KeyError for an unknown simulation and ParameterError for bad parameters.
    """
    simulation = registry.get(slug)
    return simulation.run(simulation.validate(raw_params), seed)


def plan_result(*, slug: str, raw_params: Mapping[str, Any] | None, seed: int) -> ResultRequest:
    """Validate a request for a result and name it, without running anything.

    Raises KeyError for an unknown simulation and ParameterError for bad parameters.
    """
    params = registry.get(slug).validate(raw_params)
    key = content_key(slug=slug, params=normalized(params), seed=seed, fmt="json")
    return ResultRequest(slug, params, seed, key)


def get_result(request: ResultRequest) -> dict[str, Any]:
    """Return the result as JSON-safe data, from the cache when it was computed before.

    The cache keeps the JSON, not the engine's typed result: it is what the API serves
    and what every plot, alt text and key number is drawn from, so all of them quote
    the same numbers (inf and NaN already None) whether the run is fresh or cached.
    """
    data = cached(request)
    return _run(request) if data is None else data


def _run(request: ResultRequest) -> dict[str, Any]:
    data = registry.get(request.slug).run(request.params, request.seed).to_dict()
    cache.set(_cache_name(request.key), data, CACHE_TIMEOUT)
    return data


def plan_plot(
    *,
    slug: str,
    series: Sequence[tuple[str, Mapping[str, Any] | None]],
    seed: int,
    kind: str | None,
    language: str,
    fmt: str,
    layout: str = "wide",
) -> PlotRequest:
    """Validate a request for an image and name it, without drawing anything.

    ``series`` pairs each legend label (already in ``language``; "" for a lone result,
    which the plot names by its configuration) with raw parameters. Raises KeyError for
    an unknown simulation or kind of plot, ValueError for an unknown format and
    ParameterError for bad parameters.
    """
    simulation = registry.get(slug)
    kind_name = simulation.plot_kind(kind).name
    if fmt not in plots.FORMATS:
        raise ValueError(f"unknown image format {fmt!r}")
    if layout not in plots.LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    validated = tuple((label, simulation.validate(raw)) for label, raw in series)
    named = {"kind": kind_name,
             "series": [{"label": label, "params": normalized(params)}
                        for label, params in validated]}
    if layout != "wide":  # the wide images keep the names (and ETags) they always had
        named["layout"] = layout
    key = content_key(slug=slug, params=named, seed=seed, language=language, fmt=fmt)
    return PlotRequest(slug, kind_name, validated, seed, language, fmt, key, layout)


def plan_lone_plot(
    *, slug: str, raw_params: Mapping[str, str], seed: int, kind: str | None, language: str,
    fmt: str, layout: str = "wide",
) -> PlotRequest:
    """Plan the image of one result from query-string parameters (remembered: see below)."""
    return _plan_lone_plot(slug, tuple(sorted(raw_params.items())), seed, kind, language, fmt,
                           layout)


# Planning is a pure function of the query, and a cached image's request is nothing but
# planning and one cache read: remembering recent plans keeps a cached plot as cheap to
# serve as a trivial page. Failed plans (bad parameters) raise and are not remembered.
@functools.lru_cache(maxsize=1024)
def _plan_lone_plot(slug, raw_items, seed, kind, language, fmt, layout) -> PlotRequest:
    return plan_plot(slug=slug, series=[("", dict(raw_items))], seed=seed, kind=kind,
                     language=language, fmt=fmt, layout=layout)


def get_plot(request: PlotRequest) -> plots.Image:
    """Return the image, from the cache when it was drawn before.

    Results are taken from (and left in) the cache too, so drawing a figure in the
    other language or format does not run the simulations again.
    """
    image = cached(request)
    return _draw(request) if image is None else image


def _draw(request: PlotRequest) -> plots.Image:
    drawn = [
        plots.Series(label, get_result(plan_result(
            slug=request.slug, raw_params=normalized(params), seed=request.seed)))
        for label, params in request.series
    ]
    image = plots.render(registry.get(request.slug), drawn, kind=request.kind, fmt=request.fmt,
                         language=request.language, layout=request.layout)
    cache.set(_cache_name(request.key), dataclasses.asdict(image), CACHE_TIMEOUT)
    return image


def cached(request: ResultRequest | PlotRequest) -> dict[str, Any] | plots.Image | None:
    """Return the result or image if it is in the cache, else None (nothing is run).

    Each call is one lookup in the cache metrics (a hit or a miss).
    """
    stored = cache.get(_cache_name(request.key))
    is_result = isinstance(request, ResultRequest)
    count_cache_lookup(CacheName.SIMULATION_RESULT if is_result else CacheName.PLOT,
                       hit=stored is not None)
    if stored is None or is_result:
        return stored
    return plots.Image(**stored)


def is_cached(key: str) -> bool:
    """Whether the result or image named ``key`` is in the cache (not a counted lookup)."""
    return cache.get(_cache_name(key)) is not None


def compute(request: ResultRequest | PlotRequest) -> dict[str, Any] | plots.Image:
    """Run or draw, and cache, what ``request`` names, without looking in the cache first
    (the caller just did: see :func:`cached`)."""
    return _run(request) if isinstance(request, ResultRequest) else _draw(request)


def _cache_name(key: str) -> str:
    return f"simulations:{key}"
