"""Draw simulation results as PNG or SVG, with an alt text computed from the numbers.

One module per simulation; each offers one or more *kinds* of plot (the first is the
default), and every kind draws one or several labelled results in one figure, so a
lesson can compare sigmoid with ReLU or an RNN with an LSTM. Figures are built with
the object-oriented ``matplotlib.figure.Figure`` API only (no pyplot state), so they can
be drawn in several threads at once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from matplotlib.figure import Figure

from . import activations, gradcheck, init_variance, mlp, recurrent, style, training
from .common import Series

FORMATS = tuple(style.CONTENT_TYPES)

__all__ = ["FORMATS", "Image", "PlotKind", "Series", "kinds", "render"]


@dataclasses.dataclass(frozen=True)
class PlotKind:
    """One way to draw a simulation's results: a name for URLs and a label for people."""

    name: str
    label: str
    draw: Callable[[Sequence[Series]], tuple[Figure, str]]


@dataclasses.dataclass(frozen=True)
class Image:
    """Encoded image bytes with what an <img> tag needs."""

    content: bytes
    content_type: str
    alt: str
    width: int
    height: int


PLOT_KINDS: dict[str, tuple[PlotKind, ...]] = {
    "mlp_gradient_flow": (
        PlotKind("gradients", _("Gradient norm per layer"), mlp.draw_gradients),
        PlotKind("activations", _("Activations per layer"), mlp.draw_activations),
    ),
    "training_dynamics": (
        PlotKind("loss", _("Training loss per step"), training.draw_loss),
        PlotKind("grad_norm", _("Gradient norm per step"), training.draw_grad_norm),
    ),
    "recurrent_gradient_flow": (
        PlotKind("gradients", _("Gradient norm per time step"), recurrent.draw_gradients),
    ),
    "activations": (
        PlotKind("functions", _("Functions and derivatives"), activations.draw_functions),
    ),
    "init_variance": (
        PlotKind("variance", _("Activation variance per layer"), init_variance.draw_variance),
    ),
    "gradient_check": (
        PlotKind("errors", _("Backprop against finite differences"), gradcheck.draw_errors),
    ),
}


def kinds(slug: str) -> tuple[PlotKind, ...]:
    """Return the kinds of plot of a simulation, the default first (KeyError if none)."""
    return PLOT_KINDS[slug]


def get_kind(slug: str, name: str | None) -> PlotKind:
    """Return the named kind of plot, or the default one; KeyError for an unknown name."""
    options = kinds(slug)
    if not name:
        return options[0]
    for kind in options:
        if kind.name == name:
            return kind
    raise KeyError(name)


CONFIG_LABELS: dict[str, Callable[[dict], str]] = {
    "mlp_gradient_flow": mlp.config_label,
    "training_dynamics": training.config_label,
    "recurrent_gradient_flow": recurrent.config_label,
    "activations": activations.config_label,
    "init_variance": init_variance.config_label,
    "gradient_check": gradcheck.config_label,
}


def render(
    slug: str, series: Sequence[Series], *, kind: str | None, fmt: str, language: str
) -> Image:
    """Draw the results in ``language`` and encode the figure as ``fmt`` (png or svg).

    A series without a label (a lone result) is named by its configuration.
    """
    plot_kind = get_kind(slug, kind)
    with translation.override(language):
        named = [Series(item.label or CONFIG_LABELS[slug](item.data), item.data)
                 for item in series]
        figure, alt = plot_kind.draw(named)
        content = style.save(figure, fmt)
    return Image(content, style.CONTENT_TYPES[fmt], alt, style.WIDTH_PX, style.HEIGHT_PX)
