"""Plots comparing optimizers: paths over one surface, steps to converge against kappa."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from . import style
from .common import Series, join, lead, localized_tick_labels, magnitude, number
from .descent import draw_contours, draw_frame, path_and_frame, until_it_leaves, verdict

# Square axes with the legend beside them, outside the data.
TOGETHER_HEIGHT_PX = 480
# One colour, dash and marker per optimizer, in every figure: green is RMSProp in the paths
# and in the sweep alike. A second run of an optimizer already drawn takes a free slot.
OPTIMIZER_ORDER = ("gradient_descent", "momentum", "rmsprop", "adam")
# The square is the start's marker and the star the minimum's: no series uses either.
SERIES_MARKERS = ("o", "v", "^", "D", "p", "P")


def optimizer_slots(series: Sequence[Series]) -> list[int]:
    """Return each series' slot in the palette: its optimizer's, or a free one."""
    slots: list[int] = []
    for item in series:
        name = item.data["params"].get("optimizer")
        slot = OPTIMIZER_ORDER.index(name) if name in OPTIMIZER_ORDER else None
        if slot is None or slot in slots:
            free = [s for s in range(len(style.COLOURS)) if s not in slots]
            # The slots past the named optimizers first, so that no colour changes meaning.
            free.sort(key=lambda s: s < len(OPTIMIZER_ORDER))
            slot = free[0] if free else len(slots) % len(style.COLOURS)
        slots.append(slot)
    return slots


def draw_together(series: Sequence[Series]) -> tuple[Figure, str]:
    """Draw every run's path over the first run's surface, one colour per run."""
    figure, (ax,) = style.new_figure(height_px=TOGETHER_HEIGHT_PX)
    draw_contours(ax, series[0].data)
    left_the_frame = []
    for item, slot in zip(series, optimizer_slots(series), strict=True):
        path, x, y = path_and_frame(item.data)
        shown = until_it_leaves(path, x, y)
        if len(shown) < len(path):
            left_the_frame.append(item.label)
        colour, marker = style.COLOURS[slot], SERIES_MARKERS[slot]
        ax.plot(shown[:, 0], shown[:, 1], color=colour, linewidth=1.4,
                linestyle=style.DASHES[slot], label=item.label, zorder=3,
                marker=marker, markersize=3, markevery=max(1, len(shown) // 25))
        # Paths may share a valley: where each one stopped is what sets them apart. Hollow,
        # so that runs ending at the same point (the minimum, often) all stay visible.
        ax.plot(shown[-1:, 0], shown[-1:, 1], marker=marker, markersize=16,
                markerfacecolor="none", markeredgecolor=colour, markeredgewidth=2,
                linestyle="none", zorder=5)
    start = path_and_frame(series[0].data)[0][0]
    ax.plot([start[0]], [start[1]], marker="s", markersize=8, color=style.INK,
            linestyle="none", zorder=4)
    draw_frame(ax, series[0].data, title=_("Paths of the optimizers over the contour lines"))
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False,
              prop={"family": style.FONT_FAMILY, "size": style.LEGEND_SIZE})
    return figure, _describe_together(series, left_the_frame)


def _describe_together(series: Sequence[Series], left_the_frame: list[str]) -> str:
    sentences = [_("Paths of %(count)s optimizers over the contour lines of the same loss, "
                   "from the square (the start) toward the star (the minimum).") % {
                       "count": len(series)}]
    for item in series:
        sentence = verdict(item.data)
        if item.label in left_the_frame:
            sentence += " " + _("The path leaves the frame and is not drawn beyond it.")
        sentences.append(lead(item.label, sentence))
    return join(sentences)


def draw_sweep(series: Sequence[Series]) -> tuple[Figure, str]:
    """Draw, per run, the steps to the tolerance against kappa on log-log axes."""
    figure, (ax,) = style.new_figure()
    ceiling = max(item.data["params"]["steps"] for item in series)
    for item, slot in zip(series, optimizer_slots(series), strict=True):
        sweep = item.data["sweep"] or {"condition_numbers": [], "steps_to_tolerance": []}
        steps = np.array([np.nan if s is None else s for s in sweep["steps_to_tolerance"]],
                         dtype=np.float64)
        # A run that converges at step 0 cannot sit on a log axis; none does (start != min).
        ax.plot(sweep["condition_numbers"], np.where(steps > 0, steps, np.nan),
                label=item.label,
                **{**style.series_style(slot), "marker": SERIES_MARKERS[slot]})
    ax.set_xscale("log")
    ax.set_yscale("log")
    if not any(item.data["sweep"] for item in series):
        # Nothing to draw: frame the empty axes as a sweep would and say how to get one.
        ax.set_xlim(0.7, 1500)
        ax.set_ylim(0.7, 1.5 * ceiling)
        style.add_note(figure, _("No sweep in these runs: turn on “Sweep κ from 1 to 1000”."))
    ax.axhline(ceiling, color=style.REFERENCE, linewidth=1, linestyle=":")
    ax.annotate(_("the runs' limit: %(steps)s steps") % {"steps": ceiling},
                (1.0, ceiling), xycoords=("axes fraction", "data"), xytext=(-4, -4),
                textcoords="offset points", ha="right", va="top",
                fontsize=style.NOTE_SIZE, color=style.MUTED)
    localized_tick_labels(ax)
    tolerance = magnitude(series[0].data["params"]["tolerance"], superscript=True)
    style.label_axes(ax, title=_("Steps to converge against the condition number"),
                     xlabel=_("Condition number κ (log scale)"),
                     ylabel=_("Steps to %(tolerance)s of the initial distance (log scale)")
                     % {"tolerance": tolerance})
    style.add_legend(ax, location="lower right")
    return figure, _describe_sweep(series, tolerance)


def _describe_sweep(series: Sequence[Series], tolerance: str) -> str:
    sentences = [_("Steps each optimizer takes to reach %(tolerance)s of the initial distance "
                   "to the minimum on quadratic bowls of growing condition number κ; both "
                   "axes are logarithmic.") % {"tolerance": tolerance}]
    for item in series:
        sweep = item.data["sweep"]
        if not sweep:
            continue
        parts = []
        for kappa, steps in zip(sweep["condition_numbers"], sweep["steps_to_tolerance"],
                                strict=True):
            parts.append(_("κ = %(kappa)s: %(steps)s") % {
                "kappa": number(kappa, 4),
                "steps": _("not reached") if steps is None else steps})
        sentences.append(lead(item.label, "; ".join(parts) + "."))
    return join(sentences)
