"""Plot of the gradient check: relative error of backprop per parameter tensor."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from ..descriptions import choice_label
from . import style
from .common import Series, join, lead, magnitude, number

# A relative error of exactly 0 has no place on a log axis: it is drawn at this floor,
# below anything float64 rounding produces.
ZERO_FLOOR = 1e-18


def config_label(data) -> str:
    """Name a lone result by its activation and finite-difference step."""
    params = data["params"]
    return _("%(activation)s, step ε = %(epsilon)s") % {
        "activation": choice_label(params["activation"]),
        "epsilon": magnitude(params["epsilon"], superscript=True)}


def draw_errors(series: Sequence[Series]) -> tuple[Figure, str]:
    """Draw one bar per parameter tensor (grouped by result) and the tolerance line."""
    figure, (ax,) = style.new_figure()
    names = list(dict.fromkeys(p["name"] for item in series for p in item.data["parameters"]))
    width = 0.8 / len(series)
    for index, item in enumerate(series):
        errors = {p["name"]: p["relative_error"] for p in item.data["parameters"]}
        heights = [max(errors.get(name) or ZERO_FLOOR, ZERO_FLOOR) for name in names]
        offsets = np.arange(len(names)) - 0.4 + width * (index + 0.5)
        ax.bar(offsets, heights, width=width * 0.92, color=style.COLOURS[index % 6],
               label=item.label, zorder=3)
    tolerance = series[0].data["tolerance"]
    ax.axhline(tolerance, color=style.INK, linestyle="--", linewidth=1.2, zorder=4,
               label=_("tolerance %(value)s") % {"value": magnitude(tolerance, superscript=True)})
    ax.set_yscale("log")
    ax.set_xticks(range(len(names)), names)
    ax.grid(False, axis="x")
    style.label_axes(ax, title=_("Backpropagation against finite differences"),
                     xlabel=_("Parameter tensor (W: weights, b: biases; by layer)"),
                     ylabel=_("Relative error (log scale)"))
    style.add_legend(ax)
    return figure, _describe(series)


def _describe(series: Sequence[Series]) -> str:
    tolerance = series[0].data["tolerance"]
    sentences = [_("Relative error between the gradients of backpropagation and of central "
                   "finite differences, for each parameter tensor, on a logarithmic axis; "
                   "the dashed line is the tolerance %(tolerance)s.") % {
        "tolerance": magnitude(tolerance)}]
    for item in series:
        worst = max(item.data["parameters"], key=lambda p: -1 if p["relative_error"] is None
                    else p["relative_error"])
        values = {"error": "?" if item.data["max_relative_error"] is None
                  else magnitude(item.data["max_relative_error"]),
                  "name": worst["name"], "count": number(len(item.data["parameters"]))}
        if item.data["passed"]:
            sentence = _("The largest error, %(error)s (%(name)s), is below the tolerance: the "
                         "check passes for all %(count)s tensors.") % values
        else:
            sentence = _("The largest error, %(error)s (%(name)s), is above the tolerance: the "
                         "check fails.") % values
        sentences.append(lead(item.label, sentence))
    return join(sentences)
