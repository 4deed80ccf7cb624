"""Plot of the initialization-variance simulation: Var[z_l] per layer for every scheme."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from ..descriptions import choice_label
from . import style
from .common import Series, as_array, join, lead, magnitude, number, positive, ratio, trend

# Schemes of one family share a colour; the uniform variant is dashed.
SCHEME_STYLES = {
    "normal": {"color": style.COLOURS[1], "linestyle": "-", "marker": "s"},
    "glorot_normal": {"color": style.COLOURS[0], "linestyle": "-", "marker": "o"},
    "glorot_uniform": {"color": style.COLOURS[0], "linestyle": "--", "marker": None},
    "he_normal": {"color": style.COLOURS[2], "linestyle": "-", "marker": "^"},
    "he_uniform": {"color": style.COLOURS[2], "linestyle": "--", "marker": None},
}
MAX_PANELS = 3


def config_label(data) -> str:
    """Name a lone result by its activation and network size."""
    params = data["params"]
    return _("%(activation)s, %(depth)d layers of %(width)d units") % {
        "activation": choice_label(params["activation"]), "depth": params["depth"],
        "width": params["width"]}


def scheme_label(scheme: str, data) -> str:
    if scheme == "normal":
        return _("normal, std %(std)s") % {"std": number(data["params"]["init_std"])}
    return choice_label(scheme)


def draw_variance(series: Sequence[Series]) -> tuple[Figure, str]:
    """Draw the measured (lines with markers) and predicted (dotted) variance per layer.

    One panel per result (at most three), so activations can be compared side by side.
    """
    shown = list(series)[:MAX_PANELS]
    figure, axes = style.new_figure(panels=len(shown))
    every_value: list = []
    for ax, item in zip(axes, shown, strict=True):
        layers = item.data["layers"]
        for scheme, values in item.data["schemes"].items():
            measured = values["preactivation_variances"]
            every_value += measured
            look = SCHEME_STYLES.get(scheme, {"color": style.INK, "linestyle": "-"})
            ax.plot(layers, positive(as_array(measured)), color=look["color"],
                    linestyle=look["linestyle"], linewidth=2.0, marker=look.get("marker"),
                    markersize=5, markevery=max(1, len(layers) // 20),
                    label=scheme_label(scheme, item.data))
            ax.plot(layers, positive(as_array(values["predicted_preactivation_variances"])),
                    color=look["color"], linestyle=":", linewidth=1.2, alpha=0.8)
        style.integer_ticks(ax, layers)
        style.label_axes(ax, title=item.label if len(shown) > 1 else "", xlabel=_("Layer"))
    log = False
    for ax in axes:
        log = style.use_log_scale(ax, every_value) or log
    if log and len(axes) > 1:
        low = min(v for v in every_value if v and v > 0)
        high = max(v for v in every_value if v and v > 0)
        for ax in axes:
            ax.set_ylim(low / 2, high * 2)
    style.label_axes(axes[0], ylabel=_("Var[z] of the pre-activations (log scale)") if log
                     else _("Var[z] of the pre-activations"))
    figure.suptitle(_("Variance per layer for each initialization (dotted: theory)"),
                    fontsize=style.TITLE_SIZE, color=style.INK, fontfamily=style.FONT_FAMILY,
                    x=0.01, ha="left")
    style.add_legend(axes[0], location="lower left")
    return figure, _describe(shown, log)


def _describe(series: Sequence[Series], log: bool) -> str:
    sentences = [_("Variance of the pre-activations at each layer of networks initialized "
                   "with each scheme, measured (solid lines) and predicted by theory (dotted "
                   "lines).")]
    if log:
        sentences.append(_("The vertical axis is logarithmic."))
    for item in series:
        layers = item.data["layers"]
        parts = []
        for scheme, values in item.data["schemes"].items():
            measured = values["preactivation_variances"]
            direction, factor = trend(ratio(measured[-1], measured[0]))
            template = {
                "falls": _("%(scheme)s falls by a factor of about %(factor)s"),
                "rises": _("%(scheme)s grows by a factor of about %(factor)s"),
                "flat": _("%(scheme)s stays within a factor of %(factor)s"),
                "unknown": _("%(scheme)s overflows or vanishes to zero"),
            }[direction]
            parts.append(template % {"scheme": scheme_label(scheme, item.data),
                                     "factor": factor})
        sentence = _("From layer %(first)d to layer %(last)d: %(changes)s.") % {
            "first": layers[0], "last": layers[-1], "changes": "; ".join(parts)}
        final = {scheme: values["preactivation_variances"][-1]
                 for scheme, values in item.data["schemes"].items()}
        if all(value is not None for value in final.values()):
            sentence += " " + _("At the last layer the variances range from %(low)s to "
                                "%(high)s.") % {"low": magnitude(min(final.values())),
                                                "high": magnitude(max(final.values()))}
        sentences.append(lead(item.label, sentence))
    return join(sentences)
