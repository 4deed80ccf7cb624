"""Plots of the residual gradient-flow simulation: backward signal and forward scale per layer."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from ..descriptions import choice_label
from . import style
from .common import Series, as_array, join, lead, magnitude, positive, trend

# The per-example root mean square of the gradient with respect to h_l.
GRADIENT = r"$\|\partial \ell / \partial h_l\|$"


def config_label(data) -> str:
    """Name a lone result by its activation and whether (and how) it has shortcuts."""
    params = data["params"]
    label = choice_label(params["activation"])
    if not params["residual"]:
        return f"{label}, " + _("plain")
    if params["branch_scale"] == "inverse_sqrt_depth":
        return f"{label}, " + _("residual, branch × 1/√L")
    return f"{label}, " + _("residual")


def draw_gradients(series: Sequence[Series]) -> tuple[Figure, str]:
    """Draw each layer's gradient norm and activation std, side by side, for every series."""
    figure, (grad_ax, spread_ax) = style.new_figure(panels=2)
    gradients: list = []
    spreads: list = []
    layers_seen: set[int] = set()
    for index, item in enumerate(series):
        layers = item.data["layers"]
        layers_seen.update(layers)
        line = style.series_style(index, points=len(layers))
        gradients += item.data["hidden_grad_norms"]
        spreads += item.data["activation_stds"]
        grad_ax.plot(layers, positive(as_array(item.data["hidden_grad_norms"])), **line)
        spread_ax.plot(layers, positive(as_array(item.data["activation_stds"])),
                       label=item.label, **line)
    grad_log = style.use_log_scale(grad_ax, gradients)
    spread_log = style.use_log_scale(spread_ax, spreads)
    for ax in (grad_ax, spread_ax):
        style.integer_ticks(ax, sorted(layers_seen))
    xlabel = _("Layer (1 = next to the input)")
    style.label_axes(grad_ax, title=_("Backward: gradient norm"), xlabel=xlabel,
                     ylabel=_("%(quantity)s (log scale)") % {"quantity": GRADIENT}
                     if grad_log else GRADIENT)
    style.label_axes(spread_ax, title=_("Forward: spread of the outputs"), xlabel=xlabel,
                     ylabel=_("Standard deviation (log scale)") if spread_log
                     else _("Standard deviation"))
    style.add_legend(spread_ax)  # the spreads leave more room: they start near 1
    return figure, describe(series, grad_log, spread_log)


def describe(series: Sequence[Series], grad_log: bool, spread_log: bool) -> str:
    """Say, per series, how the gradient changes back to layer 1 and how h_l spreads."""
    sentences = [_("Left: norm of the gradient of the loss with respect to each layer's "
                   "output. Right: standard deviation of each layer's output.")]
    if grad_log and spread_log:
        sentences.append(_("The vertical axes are logarithmic."))
    elif grad_log:
        sentences.append(_("The left vertical axis is logarithmic."))
    elif spread_log:
        sentences.append(_("The right vertical axis is logarithmic."))
    for item in series:
        data = item.data
        layers, stds = data["layers"], data["activation_stds"]
        direction, factor = trend(data["hidden_grad_ratio_first_to_last"])
        values = {"factor": factor, "first": layers[0], "last": layers[-1]}
        sentence = {
            "falls": _("The gradient norm falls by a factor of about %(factor)s from layer "
                       "%(last)d to layer %(first)d"),
            "rises": _("The gradient norm grows by a factor of about %(factor)s from layer "
                       "%(last)d to layer %(first)d"),
            "flat": _("The gradient norm stays within a factor of %(factor)s from layer "
                      "%(last)d to layer %(first)d"),
            "unknown": _("The gradient norm overflows before reaching layer %(first)d"),
        }[direction] % values
        spread = {
            "start": "?" if stds[0] is None else magnitude(stds[0]),
            "end": "?" if stds[-1] is None else magnitude(stds[-1]),
            "first": layers[0], "last": layers[-1],
        }
        sentence += "; " + _("the standard deviation goes from %(start)s at layer %(first)d "
                             "to %(end)s at layer %(last)d.") % spread
        sentences.append(lead(item.label, sentence))
    return join(sentences)

