"""Plots of reverse-mode differentiation: the expression graph, and a backward pass's cost."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from django.utils import formats
from django.utils.translation import gettext as _
from matplotlib.figure import Figure
from matplotlib.ticker import LogLocator, NullFormatter

from . import style
from .common import Series, join, number, scientific
from .graph_drawing import BACKWARD, FORWARD, blank_canvas, edge, key, node

DIGITS = 4  # the lesson quotes f and the gradient to 4 significant digits
EDGE_DIGITS = 3  # shorter edge labels fit between the columns
GRAPH_HEIGHT_PX = 520
# Node centres in the unit square, inputs on the left, f on the right; v_5 sits to the
# right of v_4 so that every edge runs left to right.
POSITIONS = {
    "v_-1": (0.09, 0.70), "v_0": (0.09, 0.32),
    "v_1": (0.415, 0.86), "v_2": (0.415, 0.52), "v_3": (0.415, 0.18),
    "v_4": (0.69, 0.70), "v_5": (0.905, 0.45),
}
LABELS = {"v_-1": "v₋₁ = x₁", "v_0": "v₀ = x₂", "v_1": "v₁ = ln v₋₁", "v_2": "v₂ = v₋₁ · v₀",
          "v_3": "v₃ = sin v₀", "v_4": "v₄ = v₁ + v₂", "v_5": "v₅ = v₄ − v₃ = f"}
SYMBOLS = {"v_-1": "v̄₋₁", "v_0": "v̄₀", "v_1": "v̄₁", "v_2": "v̄₂", "v_3": "v̄₃", "v_4": "v̄₄",
           "v_5": "v̄₅"}
NODE_WIDTH = 0.16


def config_label(data) -> str:
    """Name a lone result by its point and its network."""
    params = data["params"]
    return _("(x₁, x₂) = (%(x1)s, %(x2)s); %(depth)s × %(width)s network, batch %(batch)s") % {
        "x1": number(params["x1"], DIGITS), "x2": number(params["x2"], DIGITS),
        "depth": params["depth"], "width": params["width"], "batch": params["batch_size"]}


def draw_graph(series: Sequence[Series]) -> tuple[Figure, str]:
    """Draw the first result's expression graph: values, local derivatives, adjoints."""
    data = series[0].data
    figure, (ax,) = style.new_figure(height_px=GRAPH_HEIGHT_PX, fits_narrow=False)
    blank_canvas(ax)
    half = NODE_WIDTH / 2
    for item in data["edges"]:
        start, end = POSITIONS[item["source"]], POSITIONS[item["target"]]
        edge(ax, (start[0] + half, start[1]), (end[0] - half - 0.012, end[1]),
             [(f"∂{_short(item['target'])}/∂{_short(item['source'])} = "
               f"{number(item['local_derivative'], EDGE_DIGITS)}", style.INK)], at=0.5)
    for item in data["nodes"]:
        node(ax, *POSITIONS[item["name"]], [
            (LABELS[item["name"]], style.INK),
            (f"= {number(item['value'], DIGITS)}", FORWARD),
            (f"{SYMBOLS[item['name']]} = {number(item['adjoint'], DIGITS)}", BACKWARD),
        ], width=NODE_WIDTH)
    key(ax, 0.01, 0.05, _("Blue: forward pass (value of each node)"),
        _("Orange: reverse pass (adjoint v̄ = ∂f/∂v); black: local derivative of each edge"))
    style.label_axes(ax, title=_("f(x₁, x₂) = ln x₁ + x₁ x₂ − sin x₂ as a computational graph"))
    return figure, _describe_graph(data)


def _short(name: str) -> str:
    return SYMBOLS[name].replace("v̄", "v")


def _describe_graph(data) -> str:
    gradient = data["gradient"]
    return join([
        _("The function f(x₁, x₂) = ln x₁ + x₁ x₂ − sin x₂ drawn as a graph of elementary "
          "operations, with the value of every node (forward pass), the local derivative of "
          "every edge and the adjoint of every node, the derivative of f with respect to it "
          "(reverse pass)."),
        _("At x₁ = %(x1)s, x₂ = %(x2)s, f = %(f)s; one reverse pass gives both partial "
          "derivatives, ∂f/∂x₁ = %(g1)s and ∂f/∂x₂ = %(g2)s, where forward mode needs one "
          "pass per input.") % {
            "x1": number(data["params"]["x1"], DIGITS), "x2": number(data["params"]["x2"], DIGITS),
            "f": number(data["f"], DIGITS), "g1": number(gradient[0], DIGITS),
            "g2": number(gradient[1], DIGITS)},
    ])


def draw_cost(series: Sequence[Series]) -> tuple[Figure, str]:
    """Draw forward and backward flops per layer, and the totals against forward mode."""
    data = series[0].data
    figure, (per_layer, totals) = style.new_figure(panels=2)
    layers = np.array(data["layers"])
    per_layer.bar(layers - 0.2, data["forward_flops_per_layer"], width=0.4, color=FORWARD,
                  label=_("forward pass"), zorder=3)
    per_layer.bar(layers + 0.2, data["backward_flops_per_layer"], width=0.4, color=BACKWARD,
                  label=_("backward pass"), zorder=3)
    # A linear axis, so that "twice as tall" reads as twice the work.
    per_layer.set_ylim(0, max(data["backward_flops_per_layer"]) * 1.3)
    per_layer.ticklabel_format(axis="y", style="sci", scilimits=(0, 0), useMathText=True)
    style.integer_ticks(per_layer, data["layers"])
    per_layer.grid(False, axis="x")
    style.label_axes(per_layer, title=_("Per layer"),
                     xlabel=_("Layer (1 takes the data; the last is the output)"),
                     ylabel=_("Floating-point operations"))
    style.add_legend(per_layer, location="upper right")
    names = [_("forward"), _("backward"), _("forward mode\n(lower bound)")]
    heights = [data["forward_flops"], data["backward_flops"],
               data["forward_mode_flops_lower_bound"]]
    totals.bar(range(3), heights, color=[FORWARD, BACKWARD, style.REFERENCE], zorder=3)
    for index, height in enumerate(heights):
        totals.text(index, height * 1.3, scientific(height), ha="center",
                    va="bottom", fontsize=style.TICK_SIZE, color=style.INK)
    _log_axis(totals)
    totals.set_ylim(min(heights) / 10, max(heights) * 30)
    totals.set_xticks(range(3), names)
    totals.grid(False, axis="x")
    style.label_axes(totals, title=_("Whole gradient"),
                     ylabel=_("Floating-point operations (log scale)"))
    figure.suptitle(_("Matrix-product flops: %(depth)s hidden layers of %(width)s units, "
                      "batch of %(batch)s") % {"depth": data["params"]["depth"],
                                      "width": data["params"]["width"],
                                      "batch": data["params"]["batch_size"]},
                    fontsize=style.TITLE_SIZE, color=style.INK, fontfamily=style.FONT_FAMILY)
    return figure, _describe_cost(data)


def _log_axis(ax) -> None:
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(LogLocator(base=10, numticks=8))
    ax.yaxis.set_minor_formatter(NullFormatter())


def _grouped(count: int) -> str:
    """Return an integer with the locale's thousands separator (16,705 / 16.705)."""
    return formats.number_format(count, force_grouping=True)


def _describe_cost(data) -> str:
    params = data["params"]
    return join([
        _("Floating-point operations of the matrix products of a network with %(depth)s "
          "hidden layers of %(width)s units on a batch of %(batch)s, per layer (linear axis) "
          "and in total (logarithmic axis).") % {
            "depth": params["depth"], "width": params["width"], "batch": params["batch_size"]},
        _("The backward pass does twice the forward pass's operations in every layer except "
          "the first, where it does the same, because training needs no gradient with respect "
          "to the data: %(forward)s forward against %(backward)s backward in total, "
          "%(ratio)s times as many.") % {
            "ratio": number(data["backward_to_forward_ratio"], 3),
            "forward": scientific(data["forward_flops"]),
            "backward": scientific(data["backward_flops"])},
        _("Forward mode would need one pass per parameter (%(count)s of them), at least "
          "%(bound)s operations.") % {"count": _grouped(data["parameter_count"]),
                                     "bound": scientific(data["forward_mode_flops_lower_bound"])},
    ])
