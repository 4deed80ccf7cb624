"""Draw simulation results as PNG or SVG, with an alt text computed from the numbers.

One module per simulation; its declaration (``simulations/declarations/``) names the
*kinds* of plot it offers (the first is the default), and every kind draws one or
several labelled results in one figure, so a lesson can compare sigmoid with ReLU or
an RNN with an LSTM. Figures are built with the object-oriented
``matplotlib.figure.Figure`` API only (no pyplot state), so they can be drawn in
several threads at once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.utils import translation
from matplotlib.figure import Figure

from . import style
from .common import Series

FORMATS = tuple(style.CONTENT_TYPES)
LAYOUTS = style.LAYOUTS

__all__ = ["FORMATS", "LAYOUTS", "Image", "PlotKind", "Series", "render"]


@dataclasses.dataclass(frozen=True)
class PlotKind:
    """One way to draw a simulation's results: a name for URLs and a label for people.

    ``summarize`` picks the lab's key numbers shown next to this plot (the numbers of
    what it draws); None: the simulation's own key numbers.
    """

    name: str
    label: str
    draw: Callable[[Sequence[Series]], tuple[Figure, str]]
    summarize: Callable[[Mapping[str, Any]], list[tuple[str, str]]] | None = None


@dataclasses.dataclass(frozen=True)
class Image:
    """Encoded image bytes with what an <img> tag needs."""

    content: bytes
    content_type: str
    alt: str
    width: int
    height: int


def render(
    simulation, series: Sequence[Series], *, kind: str | None, fmt: str, language: str,
    layout: str = "wide",
) -> Image:
    """Draw the results in ``language`` and encode the figure as ``fmt`` (png or svg),
    for a page column or a phone (``layout``: see style.LAYOUTS).

    ``simulation`` is the declaration of the simulation that made the results (see
    :mod:`simulations.registry`): it names the kinds of plot. A series without a label
    (a lone result) is named by its configuration.
    """
    plot_kind = simulation.plot_kind(kind)
    with translation.override(language), style.layout(layout):
        named = [Series(item.label or simulation.config_label(item.data), item.data)
                 for item in series]
        figure, alt = plot_kind.draw(named)
        content = style.save(figure, fmt)
    return Image(content, style.CONTENT_TYPES[fmt], alt, *style.size_px(figure))
