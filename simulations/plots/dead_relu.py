"""Plot of the dying-ReLU simulation: dead units against the learning rate, and the loss."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from ..descriptions import choice_label
from . import style
from .common import Series, as_array, join, lead, number


def config_label(data) -> str:
    """Name a lone result by its activation and initial bias."""
    params = data["params"]
    return _("%(activation)s, b₀ = %(bias)s") % {
        "activation": choice_label(params["activation"]), "bias": number(params["bias_init"])}


def percent(share: float) -> str:
    return _("%(value)s%%") % {"value": number(100 * share, 3) if share else "0"}


def draw_dead_units(series: Sequence[Series]) -> tuple[Figure, str]:
    """Draw, left, the share of dead units against eta (log axis), after the too-large steps
    (solid) and after the recovery (dashed); right, the loss of each detailed run."""
    figure, (dead_ax, loss_ax) = style.new_figure(panels=2)
    for index, item in enumerate(series):
        data = item.data
        # Solid with markers after the steps, thin dashed after the recovery, whatever the
        # series: the line style tells the two phases apart, the colour the series.
        line = {**style.series_style(index), "linestyle": "-"}
        rates = as_array(data["sweep_learning_rates"])
        dead_ax.plot(rates, 100 * as_array(data["sweep_dead_fractions"]), label=item.label,
                     **line)
        dead_ax.plot(rates, 100 * as_array(data["sweep_dead_fractions_after_recovery"]),
                     color=line["color"], linestyle="--", linewidth=1.2)
        losses = as_array(data["losses"])
        loss_ax.plot(np.arange(len(losses)), losses, color=line["color"], linewidth=1.6,
                     label=item.label)
    steps = series[0].data["params"]["steps"]
    loss_ax.axvline(steps, color=style.REFERENCE, linestyle=":", linewidth=1.4, zorder=0)
    dead_ax.set_xscale("log")
    loss_ax.set_yscale("log")  # the large steps' spike would flatten the recovery
    style.label_axes(dead_ax, title=_("After %(steps)d SGD steps") % {"steps": steps},
                     xlabel=_("Learning rate η (log scale)"),
                     ylabel=_("Units with z ≤ 0 on every example (%)"))
    style.label_axes(loss_ax, title=_("Loss at η = %(rate)s, then the recovery") % {
        "rate": number(series[0].data["params"]["learning_rate"])},
        xlabel=_("Update"), ylabel=_("Logistic loss on the data set (log scale)"))
    style.add_legend(dead_ax, location="upper left")
    return figure, _describe(series)


def _describe(series: Sequence[Series]) -> str:
    params = series[0].data["params"]
    sentences = [_("Left: share of the hidden units whose pre-activation is at most zero on "
                   "every example, after %(steps)d SGD steps at learning rates from %(low)s to "
                   "%(high)s (solid), and after %(recovery)d more full-batch steps at "
                   "%(rate)s (dashed). Right: the loss over the updates of the run at "
                   "η = %(eta)s; the vertical line ends the large steps.") % {
        "steps": params["steps"], "low": number(params["sweep_min"]),
        "high": number(params["sweep_max"]), "recovery": params["recovery_steps"],
        "rate": number(params["recovery_rate"]), "eta": number(params["learning_rate"])}]
    for item in series:
        data = item.data
        if data["params"]["activation"] == "relu":
            sentence = _("At η = %(eta)s, %(dead)s of the units are dead after the large "
                         "steps and %(after)s after the recovery.")
        else:
            sentence = _("At η = %(eta)s, %(dead)s of the units have z ≤ 0 on every example "
                         "after the large steps and %(after)s after the recovery; the leak "
                         "keeps their gradient from being zero, so they are not dead.")
        sentence = sentence % {
            "eta": number(data["params"]["learning_rate"]),
            "dead": percent(data["dead_fraction"]),
            "after": percent(data["dead_fraction_after_recovery"])}
        sentences.append(lead(item.label if len(series) > 1 else "", sentence))
    return join(sentences)
