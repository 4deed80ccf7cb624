"""Plots of the MLP gradient-flow simulation: gradient norm and activations per layer."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from ..descriptions import choice_label
from . import style
from .common import (
    Series,
    as_array,
    first_missing,
    join,
    lead,
    magnitude,
    number,
    positive,
    trend,
)

# The Frobenius norm of the batch loss's gradient, result["weight_grad_norms"].
QUANTITY = r"$\|\partial L / \partial W_l\|_F$"


def config_label(data) -> str:
    """Name a lone result by its activation, initialization and batch norm."""
    params = data["params"]
    init = choice_label(params["init"])
    if params["init"] == "normal":
        init = _("normal init, std %(std)s") % {"std": number(params["init_std"])}
    label = f"{choice_label(params['activation'])}, {init}"
    if params["batch_norm"]:
        label += ", " + _("batch norm")
    return label


def draw_gradients(series: Sequence[Series]) -> tuple[Figure, str]:
    """Draw ||dL/dW_l|| against the layer for every series, on a log axis when needed."""
    figure, (ax,) = style.new_figure()
    every_value: list = []
    notes = []
    for index, item in enumerate(series):
        layers = item.data["layers"]
        norms = item.data["weight_grad_norms"]
        every_value += norms
        ax.plot(layers, positive(as_array(norms)), label=item.label,
                **style.series_style(index, points=len(layers)))
        overflow = first_missing(norms, layers)
        if overflow is not None:
            notes.append(_overflow_note(item.label, overflow))
    log = style.use_log_scale(ax, every_value)
    style.integer_ticks(ax, _all_layers(series))
    style.label_axes(
        ax,
        title=_("Gradient norm per layer"),
        xlabel=_("Layer (1 = next to the input)"),
        ylabel=_("%(quantity)s (log scale)") % {"quantity": QUANTITY} if log else QUANTITY,
    )
    style.add_legend(ax)
    if notes:
        style.add_note(figure, " ".join(notes))
    return figure, _describe_gradients(series, log)


def _describe_gradients(series: Sequence[Series], log: bool) -> str:
    depth = series[0].data["params"]["depth"]
    if all(item.data["params"]["depth"] == depth for item in series):
        intro = _("Gradient norm of each layer's weights in a network of %(depth)d layers.") % {
            "depth": depth}
    else:
        intro = _("Gradient norm of each layer's weights.")
    if log:
        intro += " " + _("The vertical axis is logarithmic.")
    sentences = [intro]
    for item in series:
        layers, norms = item.data["layers"], item.data["weight_grad_norms"]
        direction, factor = trend(item.data["grad_ratio_first_to_last"])
        values = {"factor": factor, "first": layers[0], "last": layers[-1]}
        sentence = {
            "falls": _("The gradient norm falls by a factor of about %(factor)s from layer "
                       "%(last)d to layer %(first)d."),
            "rises": _("The gradient norm grows by a factor of about %(factor)s from layer "
                       "%(last)d to layer %(first)d."),
            "flat": _("The gradient norm stays within a factor of %(factor)s from layer "
                      "%(last)d to layer %(first)d."),
            "unknown": _("The gradient norm overflows (becomes infinite or undefined) "
                         "before reaching layer %(first)d."),
        }[direction] % values
        if direction != "unknown" and norms[0] is not None:
            sentence += " " + _("At layer %(first)d it is about %(value)s.") % {
                "first": layers[0], "value": magnitude(norms[0])}
        sentences.append(lead(item.label, sentence))
    return join(sentences)


def draw_activations(series: Sequence[Series]) -> tuple[Figure, str]:
    """Draw each layer's activation std and its saturated (or dead) share, side by side."""
    figure, (spread_ax, share_ax) = style.new_figure(panels=2)
    spreads: list = []
    for index, item in enumerate(series):
        layers = item.data["layers"]
        stds = item.data["activation_stds"]
        spreads += stds
        line = style.series_style(index, points=len(layers))
        spread_ax.plot(layers, positive(as_array(stds)), label=item.label, **line)
        share_ax.plot(layers, 100 * as_array(_inactive(item.data)), **line)
    log = style.use_log_scale(spread_ax, spreads)
    if not log:
        spread_ax.set_ylim(bottom=0)
    for ax in (spread_ax, share_ax):
        style.integer_ticks(ax, _all_layers(series))
    share_ax.set_ylim(-3, 103)
    style.label_axes(
        spread_ax, title=_("Spread of the activations"), xlabel=_("Layer"),
        ylabel=_("Standard deviation (log scale)") if log else _("Standard deviation"),
    )
    style.label_axes(
        share_ax, title=_("Inactive units"), xlabel=_("Layer"),
        ylabel=_("Saturated or dead units (%)"),
    )
    style.add_legend(spread_ax)
    return figure, _describe_activations(series, log)


def _inactive(data) -> list:
    """Return the saturated fraction (sigmoid, tanh) or the dead fraction (ReLU family)."""
    shares = data["saturated_fractions"]
    return shares if shares is not None else data["dead_fractions"]


def _describe_activations(series: Sequence[Series], log: bool) -> str:
    sentences = [_("Left: standard deviation of each layer's activations. Right: share of "
                   "units that are saturated (sigmoid, tanh) or dead (ReLU) in each layer.")]
    if log:
        sentences.append(_("The left vertical axis is logarithmic."))
    for item in series:
        layers, stds = item.data["layers"], item.data["activation_stds"]
        shares = as_array(_inactive(item.data))
        values = {
            "first": layers[0], "last": layers[-1],
            "start": "?" if stds[0] is None else magnitude(stds[0]),
            "end": "?" if stds[-1] is None else magnitude(stds[-1]),
            "share": number(100 * float(np.nanmax(shares))) if np.isfinite(shares).any() else "?",
        }
        sentence = _("The standard deviation goes from %(start)s at layer %(first)d to %(end)s "
                     "at layer %(last)d; at most %(share)s%% of the units are inactive in a "
                     "layer.") % values
        sentences.append(lead(item.label, sentence))
    return join(sentences)


def _overflow_note(label: str, layer: int) -> str:
    if label:
        return _("%(series)s overflows at layer %(layer)d (gap in the line).") % {
            "series": label, "layer": layer}
    return _("The gradient overflows at layer %(layer)d (gap in the line).") % {"layer": layer}


def _all_layers(series: Sequence[Series]) -> list[int]:
    return sorted({layer for item in series for layer in item.data["layers"]})

