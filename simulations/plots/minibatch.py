"""Plots of mini-batch SGD: the spread of batch gradients against B, the loss by epochs."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from . import style
from .common import Series, as_array, join, lead, number, positive, scientific

LEGEND_ROOM_DECADES = 1


def config_label(data) -> str:
    """Name a lone result by its batch size."""
    return _("B = %(batch)s") % {"batch": data["params"]["batch_size"]}


def draw_spread(series: Sequence[Series]) -> tuple[Figure, str]:
    """Draw the measured spread against B on log-log axes, with the closed form."""
    figure, (ax,) = style.new_figure()
    for index, item in enumerate(series):
        colour = style.COLOURS[index % len(style.COLOURS)]
        sizes = np.array(item.data["batch_sizes"], dtype=np.float64)
        predicted = positive(as_array(item.data["predicted_spreads"]))
        # Without replacement a batch of all N examples is the full gradient: its spread
        # is 0 up to rounding (about 10^-30), which a log axis cannot show honestly.
        measured = np.where(np.isnan(predicted), np.nan, positive(as_array(item.data["spreads"])))
        name = f"{item.label}: " if len(series) > 1 else ""
        ax.plot(sizes, measured, linestyle="none", marker=style.MARKERS[index % 6],
                markersize=7, color=colour, zorder=3,
                label=name + _("measured (mean over the draws)"))
        ax.plot(sizes, predicted, color=colour, linewidth=1.6, zorder=2,
                label=name + _("closed form"))
        if item.data["params"]["sampling"] == "without_replacement":
            ax.plot(sizes, item.data["per_example_variance"] / sizes, color=style.REFERENCE,
                    linestyle="--", linewidth=1.2, zorder=1,
                    label=name + _("σ²/B, without the correction (N − B)/(N − 1)"))
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    style.label_axes(ax, title=_("Spread of mini-batch gradients around the full gradient"),
                     xlabel=_("Batch size B (log scale)"),
                     ylabel=_("Mean of ‖g_B − g‖² (log scale)"))
    style.add_legend(ax, location="lower left")
    return figure, _describe_spread(series)


def _describe_spread(series: Sequence[Series]) -> str:
    sentences = [_("Mean squared distance between mini-batch gradients and the full "
                   "gradient, against the batch size, on log-log axes, together with the "
                   "closed-form curve.")]
    for item in series:
        data = item.data
        pairs = [(b, m, p) for b, m, p in zip(data["batch_sizes"], data["spreads"],
                                               data["predicted_spreads"], strict=True) if m and p]
        ratios = [m / p for _, m, p in pairs]
        sentence = _("The fitted slope is %(slope)s (fitted up to B = N/8, where the "
                     "correction is still close to 1); the measured spreads are between "
                     "%(low)s and %(high)s times the closed form, from %(first)s at B = 1 to "
                     "%(last)s at B = %(largest)s.") % {
            "slope": number(data["spread_slope"], 3).replace("-", "\u2212"),
            "low": number(min(ratios), 3),
            "high": number(max(ratios), 3), "first": scientific(data["spreads"][0]),
            "last": scientific(pairs[-1][1]), "largest": pairs[-1][0]}
        sentences.append(lead(item.label if len(series) > 1 else "", sentence))
    return join(sentences)


def draw_loss(series: Sequence[Series]) -> tuple[Figure, str]:
    """Draw the excess loss L - L* against epochs (examples seen / N) for every run.

    The excess over the least-squares minimum L*, on a log axis, shows both the early
    progress and the floor at which the noise of small batches stops it.
    """
    figure, (ax,) = style.new_figure()
    every_value: list = []
    for index, item in enumerate(series):
        excess = as_array(item.data["losses"]) - item.data["optimal_loss"]
        every_value += [float(v) for v in excess if np.isfinite(v)]
        ax.plot(item.data["epochs_seen"], positive(excess), label=item.label,
                **style.series_style(index, points=len(excess)))
    log = style.use_log_scale(ax, every_value)
    if log:
        # A decade under the lowest curve and no more: room for the legend, lower left,
        # where every curve is still high; an empty band would squeeze the curves the
        # text compares.
        high = ax.get_ylim()[1]
        lowest = min(v for v in every_value if v > 0)
        ax.set_ylim(lowest / 10**LEGEND_ROOM_DECADES, high)
    style.label_axes(ax, title=_("Excess loss on the whole data set during SGD"),
                     xlabel=_("Epochs (examples seen / N)"),
                     ylabel=_("L − L* (log scale)") if log else _("L − L*"))
    style.add_legend(ax, location="lower left" if log else "upper right")
    return figure, _describe_loss(series, log)


def _describe_loss(series: Sequence[Series], log: bool) -> str:
    sentences = [_("Loss on the whole data set minus the smallest possible loss L*, against "
                   "the number of epochs (which is the same number of examples seen for "
                   "every batch size).")]
    if log:
        sentences.append(_("The vertical axis is logarithmic."))
    for item in series:
        data = item.data
        values = {"start": scientific(data["losses"][0] - data["optimal_loss"]),
                  "updates": data["updates"], "epochs": data["params"]["epochs"]}
        if data["diverged"] or data["final_loss"] is None:
            sentence = _("The loss grows past a million times its initial value: SGD "
                         "diverges.")
        else:
            values["end"] = scientific(_last_epoch_mean(data))
            sentence = _("The excess loss goes from %(start)s to about %(end)s (its mean over "
                         "the last epoch) in %(epochs)s epochs (%(updates)s updates).") % values
        sentences.append(lead(item.label, sentence))
    return join(sentences)


def _last_epoch_mean(data) -> float:
    """Return the mean excess loss over the last epoch: small batches hover, and their
    last point alone may sit well below or above the plateau."""
    seen = np.array(data["epochs_seen"], dtype=np.float64)
    excess = as_array(data["losses"]) - data["optimal_loss"]
    last = seen > data["params"]["epochs"] - 1
    return float(np.mean(excess[last]))
