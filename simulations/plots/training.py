"""Plots of the training-dynamics simulation: loss and gradient norm per SGD step."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from ..descriptions import choice_label
from . import style
from .common import Series, as_array, join, lead, magnitude, number, positive, scientific

# Values above this are not drawn: autoscaling a log axis to 10^300 overflows float64.
DRAWN_CEILING = 1e200


def config_label(data) -> str:
    """Name a lone result by its clipping rule."""
    params = data["params"]
    if params["clipping"] == "none":
        return _("no clipping")
    return _("clipping %(rule)s at %(threshold)s") % {
        "rule": choice_label(params["clipping"]), "threshold": number(params["clip_threshold"])}


def draw_loss(series: Sequence[Series]) -> tuple[Figure, str]:
    """Draw the training loss per step, marking where a run diverged."""
    return _draw(series, "losses", title=_("Training loss"), ylabel=_("Loss"),
                 describe=_describe_loss)


def draw_grad_norm(series: Sequence[Series]) -> tuple[Figure, str]:
    """Draw the global gradient norm per step (before clipping), with a norm threshold."""
    return _draw(series, "grad_norms", title=_("Gradient norm before clipping"),
                 ylabel=_("Global gradient norm"), describe=_describe_grad_norm)


def draw_clip_angle(series: Sequence[Series]) -> tuple[Figure, str]:
    """Draw the angle between the clipped step and the true gradient at every step."""
    figure, (ax,) = style.new_figure()
    for index, item in enumerate(series):
        angles = as_array(item.data["clip_angles"])
        ax.plot(item.data["steps"][:len(angles)], angles, label=item.label,
                **style.series_style(index, points=len(angles)))
    asked = max(item.data["params"]["steps"] for item in series)
    ax.set_xlim(-0.02 * asked, 1.02 * (asked - 1) if asked > 1 else 1)
    top = ax.get_ylim()[1]
    ax.set_ylim(-0.02 * top, top)  # a line at 0 stays clear of the axis
    style.integer_ticks(ax, list(range(asked)))
    style.label_axes(ax, title=_("Angle between the clipped step and the gradient"),
                     xlabel=_("SGD step"), ylabel=_("Angle (degrees)"))
    style.add_legend(ax)
    return figure, _describe_clip_angle(series)


def _describe_clip_angle(series) -> str:
    sentences = [_("Angle, in degrees, between the gradient after clipping and the gradient "
                   "before it, at every SGD step.")]
    for item in series:
        angles = [v for v in item.data["clip_angles"] if v is not None]
        if not angles:
            sentences.append(lead(item.label, _("No angle is finite.")))
            continue
        values = {"largest": _degrees(max(angles)), "mean": _degrees(float(np.mean(angles))),
                  "share": number(100 * item.data["clipped_fraction"])}
        sentence = _("The largest angle is %(largest)s° and the mean %(mean)s°.") % values
        if item.data["params"]["clipping"] != "none":
            sentence += " " + _("Clipping changed the gradient at %(share)s%% of the steps.") % (
                values)
        sentences.append(lead(item.label, sentence))
    return join(sentences)


def _degrees(angle: float) -> str:
    """Return an angle with 3 digits, as a power of ten when round-off is all it is."""
    return number(angle, 3) if angle == 0 or angle >= 0.01 else scientific(angle)


def _draw(series, field, *, title, ylabel, describe) -> tuple[Figure, str]:
    figure, (ax,) = style.new_figure()
    every_value: list = []
    for index, item in enumerate(series):
        steps, values = item.data["steps"], item.data[field]
        every_value += values
        line = style.series_style(index, points=len(steps))
        drawn = positive(as_array(values))
        drawn[drawn > DRAWN_CEILING] = np.nan  # off any readable plot; overflows the axis
        ax.plot(steps, drawn, label=item.label, **line)
    if field == "grad_norms":
        thresholds = {item.data["params"]["clip_threshold"] for item in series
                      if item.data["params"]["clipping"] == "norm"}
        for threshold in sorted(thresholds):
            every_value.append(threshold)
            ax.axhline(threshold, color=style.REFERENCE, linestyle=":", linewidth=1.5,
                       label=_("clipping threshold %(value)s") % {"value": number(threshold)})
    log = style.use_log_scale(ax, every_value)
    top = _view_top(series, field) if log else None
    if top is not None:
        visible = [v for v in every_value if v is not None and 0 < v <= top]
        bottom = min(visible, default=top / 10)
        margin = (top / bottom) ** 0.05  # matplotlib's 5% margin, in log space
        ax.set_ylim(bottom / margin, top)
    for index, item in enumerate(series):
        if item.data["diverged"]:
            _mark_divergence(ax, item, field, style.series_style(index)["color"], top)
    # The axis spans the steps asked for, so a run that stopped early is seen to stop.
    asked = max(item.data["params"]["steps"] for item in series)
    ax.set_xlim(-0.02 * asked, 1.02 * (asked - 1) if asked > 1 else 1)
    style.integer_ticks(ax, list(range(asked)))
    style.label_axes(ax, title=title, xlabel=_("SGD step"),
                     ylabel=_("%(label)s (log scale)") % {"label": ylabel} if log else ylabel)
    style.add_legend(ax)
    return figure, describe(series, log)


def _view_top(series, field) -> float | None:
    """Return an upper limit that keeps the runs that did not diverge readable.

    A diverging run climbs to 10^300 before it overflows; drawn to scale, it would
    squash every other run into the bottom of the plot. Above the limit its line leaves
    the plot and a marker at the top edge says where it diverged.
    """
    calm = [v for item in series if not item.data["diverged"]
            for v in item.data[field] if v is not None and v > 0]
    first = [item.data[field][0] for item in series if item.data[field]
             and item.data[field][0] is not None]
    reference = max(calm + first, default=None)
    highest = max((v for item in series for v in item.data[field] if v is not None), default=None)
    if reference is None or highest is None:
        return None
    top = min(highest, 1e3 * reference, DRAWN_CEILING)
    return top * 2 if top < highest else None


def _mark_divergence(ax, item, field, colour, top) -> None:
    """Put an X where the run stops, at the top edge when its last value is off the plot."""
    values = item.data[field]
    last = _last_finite(values)
    if last is None:
        return
    step = item.data["steps"][last]
    y = values[last] if top is None or values[last] <= top else top
    ax.plot([step], [y], marker="X", markersize=11, color=colour, markeredgecolor=style.INK,
            linestyle="none", zorder=5, clip_on=False)
    # Write the words on the side of the X with more room (the plot's middle).
    left = step > 0.6 * item.data["params"]["steps"]
    ax.annotate(_("diverges at step %(step)d") % {"step": item.data["divergence_step"]},
                (step, y), xytext=(-10 if left else 10, -6), textcoords="offset points",
                ha="right" if left else "left", va="top",
                fontsize=style.NOTE_SIZE, color=style.INK, fontfamily=style.FONT_FAMILY,
                annotation_clip=False)


def _last_finite(values) -> int | None:
    finite = [index for index, value in enumerate(values) if value is not None]
    return finite[-1] if finite else None


def _describe_loss(series, log: bool) -> str:
    sentences = [_("Training loss at every SGD step.")]
    if log:
        sentences.append(_("The vertical axis is logarithmic."))
    for item in series:
        losses = item.data["losses"]
        last = _last_finite(losses)
        if last is None:
            sentences.append(lead(item.label, _("The loss is not finite from the first step.")))
            continue
        values = {"start": magnitude(losses[0]), "end": magnitude(losses[last]),
                  "steps": len(losses), "step": item.data["divergence_step"]}
        if item.data["diverged"]:
            sentence = _("The loss goes from %(start)s to %(end)s and the run diverges (the "
                         "numbers overflow) at step %(step)d.") % values
        elif losses[last] < losses[0]:
            sentence = _("The loss falls from %(start)s to %(end)s in %(steps)d steps.") % values
        else:
            sentence = _("The loss does not fall: it goes from %(start)s to %(end)s in "
                         "%(steps)d steps.") % values
        sentences.append(lead(item.label, sentence))
    return join(sentences)


def _describe_grad_norm(series, log: bool) -> str:
    sentences = [_("Global gradient norm at every SGD step, before clipping.")]
    if log:
        sentences.append(_("The vertical axis is logarithmic."))
    for item in series:
        norms = [v for v in item.data["grad_norms"] if v is not None]
        if not norms:
            sentences.append(lead(item.label, _("The gradient norm is not finite.")))
            continue
        values = {"low": magnitude(min(norms)), "high": magnitude(max(norms)),
                  "share": number(100 * item.data["clipped_fraction"])}
        sentence = _("It ranges from %(low)s to %(high)s.") % values
        if item.data["params"]["clipping"] != "none":
            sentence += " " + _("Clipping changed the gradient at %(share)s%% of the steps.") % (
                values)
        if item.data["diverged"]:
            sentence += " " + _("The run diverges at step %(step)d.") % {
                "step": item.data["divergence_step"]}
        sentences.append(lead(item.label, sentence))
    return join(sentences)

