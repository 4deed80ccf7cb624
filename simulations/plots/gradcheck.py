"""Plot of the gradient check: relative error of backprop per parameter tensor."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from ..descriptions import choice_label
from . import style
from .common import _SUPERSCRIPTS, Series, as_array, join, lead, magnitude, number, positive

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


def draw_epsilon_sweep(series: Sequence[Series]) -> tuple[Figure, str]:
    """Draw the measured relative error against the step ε (log-log), one line per result,
    each with its model in thin lines of its colour: truncation (∝ ε², dotted) and
    rounding (∝ 1/ε, dashed)."""
    figure, (ax,) = style.new_figure()
    for index, item in enumerate(series):
        sweep = item.data["sweep"]
        epsilons = as_array(sweep["epsilons"])
        look = style.series_style(index, points=len(epsilons))
        ax.plot(epsilons, positive(as_array(sweep["errors"])), label=item.label, **look)
        model_labels = ((_("model: truncation, ∝ ε²"), _("model: rounding, ∝ 1/ε"))
                        if len(series) == 1 else (None, None))
        # Drawn over the data: on the right the measured error lies exactly on the dotted
        # line, which would otherwise be hidden under it. A lone series' model is drawn in
        # ink, so it stands out from the data's colour.
        model_look = {"color": style.INK if len(series) == 1 else look["color"],
                      "linewidth": 1.3, "alpha": 0.85, "zorder": 4}
        ax.plot(epsilons, positive(as_array(sweep["model_truncation"])), linestyle=":",
                label=model_labels[0], **model_look)
        ax.plot(epsilons, positive(as_array(sweep["model_rounding"])), linestyle="--",
                label=model_labels[1], **model_look)
    ax.axvline(series[0].data["sweep"]["machine_epsilon"] ** (1 / 3), color=style.MUTED,
               linewidth=1.0, linestyle="-.", label=_("cube root of the machine epsilon (2⁻⁵²)"))
    measured = [e for item in series for e in item.data["sweep"]["errors"] if e]
    ax.set_xscale("log")
    ax.set_yscale("log")
    if measured:  # the model's lines run far off the measured range at both ends
        ax.set_ylim(min(measured) / 10, max(measured) * 10)
    style.label_axes(ax, title=_("Central-difference error against the step"),
                     xlabel=_("Finite-difference step ε (log scale)"),
                     ylabel=_("Relative error (log scale)"))
    style.add_legend(ax, location="upper center")
    return figure, _describe_sweep(series)


def _describe_sweep(series: Sequence[Series]) -> str:
    first = series[0].data["sweep"]
    sentences = [_("Relative error of the central difference against backpropagation, along "
                   "one random direction in the space of the parameters, for steps ε from "
                   "%(low)s to %(high)s, on logarithmic axes.") % {
        "low": magnitude(first["epsilons"][0], superscript=True),
        "high": magnitude(first["epsilons"][-1], superscript=True)}]
    for item in series:
        sweep = item.data["sweep"]
        values = {"error": _mantissa(sweep["min_error"]),
                  "best": _mantissa(sweep["best_epsilon"]),
                  "model": _mantissa(sweep["model_best_epsilon"]),
                  "truncation": _signed(number(sweep["truncation_slope"] or 0, 2)),
                  "rounding": _signed(number(sweep["rounding_slope"] or 0, 2))}
        sentences.append(lead(item.label, _(
            "The error is smallest, about %(error)s, at ε = %(best)s (the truncation-plus-"
            "rounding model puts the minimum at %(model)s). For larger steps it rises with a "
            "slope of %(truncation)s (truncation, ∝ ε²); for smaller steps it rises with a "
            "slope of %(rounding)s (rounding, ∝ 1/ε).") % values))
    cube_root = _mantissa(first["machine_epsilon"] ** (1 / 3))
    if all(_rounding_model_is_above(item.data["sweep"]) for item in series):
        sentences.append(_(
            "The dotted and dashed lines are the model's truncation and rounding terms; the "
            "dashed one lies above the measured errors. The vertical line marks the cube "
            "root of the machine epsilon, about %(cube_root)s.") % {"cube_root": cube_root})
    else:
        sentences.append(_(
            "The dotted and dashed lines are the model's truncation and rounding terms. The "
            "vertical line marks the cube root of the machine epsilon, about "
            "%(cube_root)s.") % {"cube_root": cube_root})
    return join(sentences)


def _rounding_model_is_above(sweep) -> bool:
    """Whether the measured errors on the rounding branch lie below the model's line (the
    model counts a full u |f| of error in each evaluation, and rounding partly cancels)."""
    epsilons, errors = as_array(sweep["epsilons"]), as_array(sweep["errors"])
    rounding = as_array(sweep["model_rounding"])
    left = epsilons <= min(sweep["best_epsilon"], sweep["model_best_epsilon"] or 1) / 10
    ratios = errors[left] / rounding[left]
    return bool(np.isfinite(ratios).any() and np.nanmedian(ratios) < 1)


def _signed(text: str) -> str:
    """Write a minus sign, not a hyphen, as the lesson's text does."""
    return text.replace("-", "−")


def _mantissa(value: float | None) -> str:
    """Return "1.8 × 10⁻⁵": two digits, since steps a few times apart share a power of ten.
    The power is written in superscripts, which screen readers read as a power, not as
    a caret."""
    if not value:
        return "0" if value == 0 else "?"
    exponent = math.floor(math.log10(abs(value)))
    mantissa = round(value / 10**exponent, 1)
    if abs(mantissa) >= 10:  # 9.96 rounds up to the next power of ten
        mantissa, exponent = mantissa / 10, exponent + 1
    return f"{number(mantissa)} × 10{str(exponent).translate(_SUPERSCRIPTS)}"
