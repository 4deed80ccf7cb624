"""Plots of the one-unit RNN's cliff: descent paths over the loss, and the step lengths."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from ..descriptions import choice_label
from . import style
from .common import Series, as_array, join, lead, localized_tick_labels, number, positive

LOSS_COLOURS = "Greys"  # the surface stays grey so the coloured paths stand out
LOSS_FLOOR = 1e-6  # log10 of a loss below this is drawn as this (the valley floor)
DARKEST_SPARED = 0.4  # share of the grey scale left above the window's largest loss


def config_label(data) -> str:
    """Name a lone result by its clipping rule."""
    params = data["params"]
    if params["clipping"] == "none":
        return _("no clipping")
    return _("clipping %(rule)s at %(threshold)s") % {
        "rule": choice_label(params["clipping"]), "threshold": number(params["clip_threshold"])}


def draw_paths(series: Sequence[Series]) -> tuple[Figure, str]:
    """Draw every run's descent path over the loss of the first run's window."""
    figure, (ax,) = style.new_figure()
    grid = series[0].data["grid"]
    w, b = as_array(grid["w"]), as_array(grid["b"])
    loss = np.array([as_array(row) for row in grid["loss"]])
    log_loss = np.log10(np.maximum(loss, LOSS_FLOOR))
    low, high = np.nanmin(log_loss), np.nanmax(log_loss)
    # The darkest grey is kept for a loss beyond the window's: the paths must stand out.
    shading = ax.pcolormesh(w, b, log_loss, cmap=LOSS_COLOURS, vmin=low,
                            vmax=high + DARKEST_SPARED * (high - low), shading="auto",
                            rasterized=True)
    bar = figure.colorbar(shading, ax=ax, pad=0.01)
    bar.set_label(_("log₁₀ of the loss"), fontsize=style.LABEL_SIZE, color=style.INK,
                  fontfamily=style.FONT_FAMILY)
    bar.ax.tick_params(labelsize=style.TICK_SIZE, colors=style.INK)
    for index, item in enumerate(series):
        path = _path(item.data)
        shown = _until_it_leaves(path, w, b)
        line = {**style.series_style(index), "markersize": 4, "markevery": 5, "linewidth": 1.6}
        # A path that starts outside the window (a start the learner typed) has no edge
        # crossing to draw: its one point is drawn where it is.
        if len(path) > len(shown) >= 2:
            shown[-1] = _where_it_leaves(shown[-2], shown[-1], w, b)
            _mark_exit(ax, shown, line["color"])
        ax.plot(shown[:, 0], shown[:, 1], label=item.label, zorder=3, **line)
    start = _path(series[0].data)[0]
    ax.plot([start[0]], [start[1]], marker="s", markersize=8, color=style.INK,
            linestyle="none", zorder=4, label=_("start"))
    ax.set_xlim(w[0], w[-1])
    ax.set_ylim(b[0], b[-1])
    ax.grid(False)
    localized_tick_labels(ax)
    style.label_axes(ax, title=_("Gradient descent on the loss of a one-unit RNN"),
                     xlabel=_("recurrent weight w"), ylabel=_("bias b"))
    style.add_legend(ax, location="lower left")
    return figure, _describe_paths(series)


def draw_steps(series: Sequence[Series]) -> tuple[Figure, str]:
    """Draw the length of every descent step, on a log axis when it spans decades."""
    figure, (ax,) = style.new_figure()
    every_value: list = []
    for index, item in enumerate(series):
        lengths = item.data["step_lengths"]
        every_value += lengths
        ax.plot(range(1, len(lengths) + 1), positive(as_array(lengths)), label=item.label,
                **style.series_style(index, points=len(lengths)))
    log = style.use_log_scale(ax, every_value)
    asked = max(item.data["params"]["descent_steps"] for item in series)
    style.integer_ticks(ax, list(range(1, asked + 1)))
    ylabel = _("Step length ‖Δθ‖")
    style.label_axes(ax, title=_("Length of every gradient descent step"),
                     xlabel=_("Descent step"),
                     ylabel=_("%(label)s (log scale)") % {"label": ylabel} if log else ylabel)
    style.add_legend(ax)
    sentences = [_("Length of every step of gradient descent in the plane of (w, b).")]
    if log:
        sentences.append(_("The vertical axis is logarithmic."))
    for item in series:
        sentences.append(lead(item.label, _longest_step(item.data)))
    return figure, join(sentences)


def _path(data) -> np.ndarray:
    return np.array([[np.nan if v is None else v for v in point] for point in data["path"]])


def _until_it_leaves(path: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Return the path up to its first point outside the window (that point included)."""
    inside = (w[0] <= path[:, 0]) & (path[:, 0] <= w[-1]) & (b[0] <= path[:, 1]) & (
        path[:, 1] <= b[-1])
    outside = np.flatnonzero(~inside)
    return path if outside.size == 0 else path[:outside[0] + 1]


def _where_it_leaves(inside: np.ndarray, outside: np.ndarray, w: np.ndarray, b: np.ndarray
                     ) -> np.ndarray:
    """Return the point where the segment from ``inside`` to ``outside`` crosses the edge."""
    direction = outside - inside
    fractions = [1.0]
    for coordinate, (low, high) in enumerate(((w[0], w[-1]), (b[0], b[-1]))):
        if direction[coordinate] > 0:
            fractions.append((high - inside[coordinate]) / direction[coordinate])
        elif direction[coordinate] < 0:
            fractions.append((low - inside[coordinate]) / direction[coordinate])
    return inside + min(fractions) * direction


def _mark_exit(ax, shown: np.ndarray, colour: str) -> None:
    """Put an arrow where the path leaves the window, pointing the way it went."""
    ax.annotate("", xy=shown[-1], xytext=shown[-2], zorder=4,
                arrowprops={"arrowstyle": "-|>", "color": colour, "linewidth": 2.0,
                            "mutation_scale": 18, "shrinkA": 0, "shrinkB": 0})


def _longest_step(data) -> str:
    values = {"step": number(data["largest_step"] or float("nan"), 3),
              "norm": number(data["largest_grad_norm"] or float("nan"), 3)}
    return _("The longest step is %(step)s; the largest gradient norm is %(norm)s.") % values


def _describe_paths(series: Sequence[Series]) -> str:
    sentences = [_("Paths of gradient descent over the loss of a one-unit recurrent "
                   "network, drawn in grey (lighter is lower, on a logarithmic scale) over "
                   "the plane of the recurrent weight w and the bias b; the square is the "
                   "start.")]
    for item in series:
        sentence = _longest_step(item.data)
        grid = item.data["grid"]
        path = _path(item.data)
        if len(_until_it_leaves(path, as_array(grid["w"]), as_array(grid["b"]))) < len(path):
            sentence += " " + _("The path leaves the window, where an arrow points the way "
                                "it went, and ends at w = %(w)s, b = %(b)s.") % {
                "w": number(path[-1, 0], 3), "b": number(path[-1, 1], 3)}
        sentences.append(lead(item.label, sentence))
    return join(sentences)
