"""The figures a lesson declares in its ``lesson.yaml``, as images, alt texts and captions.

A figure compares one or more results of one simulation. Its spec, one item of the
lesson's ``figures:`` list (``[[figure:NAME]]`` in the body places it)::

    - name: sigmoid-vs-relu            # lowercase letters, digits and hyphens
      simulation: mlp_gradient_flow    # a slug of the catalogue
      plot: gradients                  # optional: a kind of plot (default: the first)
      seed: 0                          # optional (default 0)
      params: {depth: 20}              # optional: parameters every series shares
      series:                          # one or more; each series' params win
        - label: {pt-br: Sigmoide, en: Sigmoid}
          params: {activation: sigmoid}
        - label: {pt-br: ReLU, en: ReLU}
          params: {activation: relu, init: he_normal}
      caption: {pt-br: "...", en: "..."}   # says which configuration is shown

The image is served at ``/api/v1/simulations/figures/<course>/<lesson>/<name>.png``
(or ``.svg``), cached and ETagged like every plot; its alt text is computed from the
numbers. :func:`validate_figure_specs` checks specs when a course is imported.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from simulations import plots, registry, services
from simulations.engine.core import ParameterError, normalized

from .anchors import figure_anchor
from .content_errors import ContentError
from .models import Lesson

logger = logging.getLogger(__name__)

DEFAULT_LANGUAGE = "pt-br"
SPEC_KEYS = {"name", "simulation", "plot", "seed", "params", "series", "caption"}
SERIES_KEYS = {"label", "params"}
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def translated(texts: Mapping[str, str] | str | None, language: str) -> str:
    """Return the text in ``language``, falling back to Portuguese."""
    if texts is None:
        return ""
    if isinstance(texts, str):
        return texts
    return str(texts.get(language) or texts.get(DEFAULT_LANGUAGE) or "")


def series_params(spec: Mapping[str, Any], item: Mapping[str, Any]) -> dict[str, Any]:
    """Return the raw parameters of one series: the shared ones, then its own."""
    return {**(spec.get("params") or {}), **(item.get("params") or {})}


def plan_figure(spec: Mapping[str, Any], *, language: str, fmt: str, layout: str = "wide"
                ) -> services.PlotRequest:
    """Validate a figure spec and name its image (KeyError, ParameterError if bad)."""
    return services.plan_plot(
        slug=spec["simulation"],
        series=[(translated(item.get("label"), language), series_params(spec, item))
                for item in spec["series"]],
        seed=spec.get("seed", services.DEFAULT_SEED),
        kind=spec.get("plot"),
        language=language,
        fmt=fmt,
        layout=layout,
    )


def plan_lesson_figure(
    *, course_slug: str, lesson_slug: str, name: str, language: str, fmt: str,
    layout: str = "wide",
) -> services.PlotRequest | None:
    """Find a published lesson's figure by name and plan its image; None if there is none."""
    lesson = Lesson.objects.filter(
        course__slug=course_slug, course__is_published=True, slug=lesson_slug
    ).only("figures").first()
    spec = _find(lesson.figures if lesson else [], name)
    if spec is None:
        return None
    try:
        return plan_figure(spec, language=language, fmt=fmt, layout=layout)
    except (KeyError, ValueError, TypeError):  # ParameterError is a ValueError
        logger.warning("Figure %r of lesson %s/%s is invalid", name, course_slug, lesson_slug)
        return None


def describe_figure(lesson, spec: dict, language: str) -> dict | None:
    """Return what course/_figure.html needs to show one figure, or None if it is invalid.

    Draws the PNG now (or takes it from the cache) for its alt text, so the browser's
    request for the image that follows is a cache hit.
    """
    try:
        planned = plan_figure(spec, language=language, fmt="png")
    except (KeyError, ValueError, TypeError):
        logger.warning("Figure %r of lesson %s is invalid", spec.get("name"), lesson.slug)
        return None
    image = services.get_plot(planned)
    url = reverse("api:lesson-figure", kwargs={
        "course_slug": lesson.course.slug, "lesson_slug": lesson.slug,
        "name": spec["name"], "fmt": "png"})
    with translation.override(language):
        lab_url = reverse("simulations:detail", kwargs={"slug": spec["simulation"]})
        lab_label = _("Change the parameters in the lab")
    # The lab opens on the figure's first series.
    query = {**normalized(planned.series[0][1]), "seed": planned.seed, "kind": planned.kind}
    return {
        "anchor": figure_anchor(spec["name"]),
        "url": f"{url}?{urlencode({'lang': language})}",
        "narrow_url": f"{url}?{urlencode({'lang': language, 'layout': 'narrow'})}",
        "alt": image.alt,
        "caption": caption_with_definitions(planned, translated(spec.get("caption"), language),
                                            language),
        "width": image.width,
        "height": image.height,
        "lab_url": f"{lab_url}?{urlencode(query)}",
        "lab_label": lab_label,
    }


def caption_with_definitions(planned: services.PlotRequest, caption: str, language: str
                              ) -> str:
    """Return the caption followed by the loss and norm definitions its series ran with.

    The numbers a figure shows depend on the loss convention, so the caption says which
    one (each distinct definition once, in the order of the series).
    """
    declaration = registry.get(planned.slug)
    sentences: list[str] = []
    with translation.override(language):
        for _label, params in planned.series:
            data = services.get_result(services.plan_result(
                slug=planned.slug, raw_params=normalized(params), seed=planned.seed))
            sentences += [s for s in declaration.loss_definitions(data) if s not in sentences]
    return " ".join([caption, *sentences]) if caption else " ".join(sentences)


def figure_image(spec: Mapping[str, Any], language: str, fmt: str = "png",
                 layout: str = "wide") -> tuple[services.PlotRequest, plots.Image] | None:
    """Return a figure's image (drawn now, or from the cache) and its plan; None if invalid.

    The plan's ``key`` is the image's ETag, as ``/api/v1/simulations/figures/...`` sends it.
    """
    try:
        planned = plan_figure(spec, language=language, fmt=fmt, layout=layout)
    except (KeyError, ValueError, TypeError):
        logger.warning("Figure %r is invalid", spec.get("name"))
        return None
    return planned, services.get_plot(planned)


def validate_figure_specs(figures: Any, path: Path) -> None:
    """Check a lesson's ``figures:`` list; raise ContentError naming the first problem.

    Meant for the course importer: a typo in a simulation name or a parameter out of
    range stops the import instead of leaving a lesson with a missing figure.
    """
    if not isinstance(figures, list):
        raise ContentError(path, "'figures' must be a list")
    seen: set[str] = set()
    for position, spec in enumerate(figures, start=1):
        where = f"figure {position}"
        if not isinstance(spec, Mapping):
            raise ContentError(path, f"{where} must be a mapping")
        name = spec.get("name")
        if not isinstance(name, str) or not _SLUG.match(name):
            raise ContentError(path, f"{where} needs a 'name' of lowercase letters, digits "
                                     "and hyphens")
        where = f"figure '{name}'"
        if name in seen:
            raise ContentError(path, f"two figures are named '{name}'")
        seen.add(name)
        _check_keys(path, where, spec, SPEC_KEYS)
        slug = spec.get("simulation")
        if slug not in registry.SIMULATIONS:
            raise ContentError(path, f"{where}: unknown simulation {slug!r} (known: "
                                     f"{', '.join(registry.SIMULATIONS)})")
        kinds = [kind.name for kind in registry.get(slug).plot_kinds]
        if spec.get("plot") is not None and spec["plot"] not in kinds:
            raise ContentError(path, f"{where}: unknown plot {spec['plot']!r} of {slug} "
                                     f"(known: {', '.join(kinds)})")
        seed = spec.get("seed", services.DEFAULT_SEED)
        if isinstance(seed, bool) or not isinstance(seed, int) or not (
                0 <= seed <= services.MAX_SEED):
            raise ContentError(path, f"{where}: 'seed' must be a whole number from 0 to "
                                     f"{services.MAX_SEED}")
        if not isinstance(spec.get("params", {}), Mapping):
            raise ContentError(path, f"{where}: 'params' must be a mapping")
        _check_translations(path, f"{where}: 'caption'", spec.get("caption"))
        series = spec.get("series")
        if not isinstance(series, list) or not series:
            raise ContentError(path, f"{where}: 'series' must be a non-empty list")
        for index, item in enumerate(series, start=1):
            _check_series(path, f"{where}, series {index}", spec, item)


def _check_series(path: Path, where: str, spec: Mapping, item: Any) -> None:
    if not isinstance(item, Mapping):
        raise ContentError(path, f"{where} must be a mapping")
    _check_keys(path, where, item, SERIES_KEYS)
    if not isinstance(item.get("params", {}), Mapping):
        raise ContentError(path, f"{where}: 'params' must be a mapping")
    if len(spec["series"]) > 1 or item.get("label") is not None:
        _check_translations(path, f"{where}: 'label'", item.get("label"))
    try:
        registry.get(spec["simulation"]).validate(series_params(spec, item))
    except ParameterError as error:
        raise ContentError(path, f"{where}: {error}") from None


def _check_keys(path: Path, where: str, data: Mapping, allowed: set[str]) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ContentError(path, f"{where}: unknown key(s) {', '.join(unknown)} (allowed: "
                                 f"{', '.join(sorted(allowed))})")


def _check_translations(path: Path, where: str, texts: Any) -> None:
    if not isinstance(texts, Mapping) or not isinstance(texts.get(DEFAULT_LANGUAGE), str) \
            or not texts[DEFAULT_LANGUAGE].strip():
        raise ContentError(path, f"{where} must map languages to text, with a "
                                 f"'{DEFAULT_LANGUAGE}' one")
    unknown = sorted(set(texts) - {"pt-br", "en"})
    if unknown:
        raise ContentError(path, f"{where} has unknown language(s): {', '.join(unknown)}")


def _find(figures: list, name: str) -> Mapping[str, Any] | None:
    return next((spec for spec in figures if isinstance(spec, Mapping)
                 and spec.get("name") == name), None)
