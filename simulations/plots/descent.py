"""Plots of gradient descent on a 2-D surface: the paths over the contours, the loss per step."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from . import style
from .common import (
    Series,
    as_array,
    join,
    lead,
    localized_tick_labels,
    magnitude,
    number,
    positive,
    scientific,
)

CONTOUR_LEVELS = 12
LOWEST_LEVEL_PERCENTILE = 5  # of the grid's positive losses, see draw_contours
MOST_PANELS = 4
# Square panels side by side: a short canvas leaves no blank band above and below them.
PANELS_HEIGHT_PX = {1: style.HEIGHT_PX, 2: 400, 3: 320, 4: 260}


def config_label(data) -> str:
    """Name a lone result by its learning rate (as a fraction of 2/λ_max) and κ."""
    params = data["params"]
    if params["lr_rule"] == "best":
        return _("best fixed η, κ = %(kappa)s") % {"kappa": number(params["condition_number"])}
    return _("η = %(fraction)s × 2/λ_max, κ = %(kappa)s") % {
        "fraction": number(params["lr_fraction"]), "kappa": number(params["condition_number"])}


def draw_paths(series: Sequence[Series]) -> tuple[Figure, str]:
    """Draw each run's path over its surface's contours, one panel per run."""
    shown = list(series)[:MOST_PANELS]
    figure, axes = style.new_figure(panels=len(shown), height_px=PANELS_HEIGHT_PX[len(shown)])
    for index, (ax, item) in enumerate(zip(axes, shown, strict=True)):
        _draw_one_path(ax, item, style.COLOURS[index % len(style.COLOURS)])
    return figure, _describe_paths(shown)


def _draw_one_path(ax, item: Series, colour: str) -> None:
    draw_contours(ax, item.data)
    path, x, y = path_and_frame(item.data)
    shown = until_it_leaves(path, x, y)
    ax.plot(shown[:, 0], shown[:, 1], color=colour, linewidth=1.4, marker="o", markersize=3,
            zorder=3)
    ax.plot(path[:1, 0], path[:1, 1], marker="s", markersize=7, color=colour,
            markeredgecolor=style.INK, linestyle="none", zorder=4)
    draw_frame(ax, item.data, title=item.label)


def draw_contours(ax, data) -> None:
    """Draw the surface's contour lines, log-spaced (losses span decades)."""
    contour = data["contour"]
    x, y = as_array(contour["x"]), as_array(contour["y"])
    loss = np.array([as_array(row) for row in contour["loss"]])
    positive_loss = loss[loss > 0]
    # The lowest level is one the grid resolves: below it, a narrow valley floor (Rosenbrock's)
    # falls between grid points and the level breaks into closed loops, false local minima.
    lowest = np.percentile(positive_loss, LOWEST_LEVEL_PERCENTILE)
    levels = np.geomspace(lowest, positive_loss.max(), CONTOUR_LEVELS)
    ax.contour(x, y, loss, levels=levels, colors=style.REFERENCE, linewidths=0.8)


def draw_frame(ax, data, *, title: str) -> None:
    """Mark the minimum with a star, fit the axes to the grid and name the coordinates."""
    minimum = data.get("minimum", [0.0, 0.0])
    # Above every path and end marker: the runs that reach the minimum would hide it.
    ax.plot([minimum[0]], [minimum[1]], marker="*", markersize=12, color=style.INK,
            markeredgecolor="white", markeredgewidth=1, linestyle="none", zorder=6)
    x, y = as_array(data["contour"]["x"]), as_array(data["contour"]["y"])
    ax.set_xlim(x[0], x[-1])
    ax.set_ylim(y[0], y[-1])
    ax.set_aspect("equal")
    ax.grid(False)
    localized_tick_labels(ax)
    params = data["params"]
    if params.get("objective", "quadratic") == "quadratic" and not params.get("rotation"):
        xlabel, ylabel = _("θ₁ (shallow direction)"), _("θ₂ (steep direction)")
    else:
        xlabel, ylabel = "θ₁", "θ₂"
    style.label_axes(ax, title=title, xlabel=xlabel, ylabel=ylabel)
    ax.title.set_fontsize(style.LABEL_SIZE)


def until_it_leaves(path: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Return the path up to its first point outside the frame (that point included).

    A diverging path that left the frame would otherwise cross it again and again, each
    step drawn as a segment through the panel: a solid bar that hides the contours.
    """
    inside = ((x[0] <= path[:, 0]) & (path[:, 0] <= x[-1])
              & (y[0] <= path[:, 1]) & (path[:, 1] <= y[-1]))
    outside = np.flatnonzero(~inside)
    return path if outside.size == 0 else path[:outside[0] + 1]


def draw_loss(series: Sequence[Series]) -> tuple[Figure, str]:
    """Draw the loss at every step on a log axis (a straight line is a constant rate)."""
    figure, (ax,) = style.new_figure()
    every_value: list = []
    for index, item in enumerate(series):
        losses = item.data["losses"]
        every_value += losses
        ax.plot(item.data["steps"], positive(as_array(losses)), label=item.label,
                **style.series_style(index, points=len(losses)))
    log = style.use_log_scale(ax, every_value)
    asked = max(item.data["params"]["steps"] for item in series)
    ax.set_xlim(-0.02 * asked, 1.02 * asked)
    style.integer_ticks(ax, list(range(asked + 1)))
    style.label_axes(ax, title=_("Loss at every step of gradient descent"),
                     xlabel=_("Step"), ylabel=_("Loss (log scale)") if log else _("Loss"))
    style.add_legend(ax)
    return figure, _describe_loss(series, log)


def verdict(data) -> str:
    # Powers of ten in superscripts, as scientific() writes them: one notation per text.
    values = {"steps": data["steps_to_tolerance"], "ran": len(data["steps"]) - 1,
              "tolerance": magnitude(data["params"]["tolerance"], superscript=True),
              "ratio": scientific(data["final_distance_ratio"] or float("inf"))}
    if data["outcome"] == "converged":
        sentence = _("the method reaches %(tolerance)s of the initial distance to the "
                     "minimum in %(steps)s steps") % values
    elif data["outcome"] == "diverged":
        sentence = _("the method diverges; after %(ran)s steps, the distance to the minimum "
                     "is %(ratio)s times the initial one") % values
    else:
        sentence = _("the method has not converged within %(ran)s steps; the distance to the "
                     "minimum is still %(ratio)s of the initial one") % values
    if data["steep_sign_changes"] == 1:
        sentence += _(", the steep coordinate changing sign at every step")
    elif data["steep_sign_changes"] > 0.5:
        sentence += _(", the steep coordinate changing sign at nearly every step")
    return sentence + "."


def _describe_paths(series: Sequence[Series]) -> str:
    sentences = [_("Paths of gradient descent over the contour lines of the loss, from the "
                   "square (the start) toward the star (the minimum), one panel per run.")]
    for item in series:
        sentence = verdict(item.data)
        if len(until_it_leaves(*path_and_frame(item.data))) < len(item.data["path"]):
            sentence += " " + _("The path leaves the frame and is not drawn beyond it.")
        sentences.append(lead(item.label, sentence))
    return join(sentences)


def path_and_frame(data) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    path = np.array([[np.nan if v is None else v for v in point] for point in data["path"]])
    return path, as_array(data["contour"]["x"]), as_array(data["contour"]["y"])


def _describe_loss(series: Sequence[Series], log: bool) -> str:
    sentences = [_("Loss at every step of gradient descent.")]
    if log:
        sentences.append(_("The vertical axis is logarithmic."))
    for item in series:
        rate = item.data["predicted_rate"]
        sentence = "" if rate is None else _(
            "near the minimum, the distance is multiplied by about %(rate)s at every step "
            "(the loss, by its square);") % {"rate": number(rate, 3)} + " "
        sentences.append(lead(item.label, f"{sentence}{verdict(item.data)}"))
    return join(sentences)
