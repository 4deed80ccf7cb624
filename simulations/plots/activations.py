"""Plot of the activations simulation: each function beside its derivative."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from ..descriptions import choice_label
from . import style
from .common import Series, as_array, join, localized_tick_labels, names, number


def signed(value: float) -> str:
    """Return ``value`` as ``number`` does, with a true minus sign."""
    return number(value).replace("-", "\u2212")


def config_label(data) -> str:
    """Name a lone result by its input range."""
    params = data["params"]
    return _("inputs from %(low)s to %(high)s") % {
        "low": signed(params["x_min"]), "high": signed(params["x_max"])}


def draw_functions(series: Sequence[Series]) -> tuple[Figure, str]:
    """Draw f(z) on the left and f'(z) on the right for every activation of one result.

    Several results would only repeat the same curves on other ranges: the first is drawn.
    """
    data = series[0].data
    x = data["x"]
    figure, (value_ax, slope_ax) = style.new_figure(panels=2)
    for index, (name, curves) in enumerate(data["activations"].items()):
        line = style.series_style(index, markers=False)
        value_ax.plot(x, as_array(curves["values"]), label=choice_label(name), **line)
        slope_ax.plot(x, as_array(curves["derivatives"]), **line)
    for ax in (value_ax, slope_ax):
        ax.axvline(0, color=style.GRID, linewidth=1.0, zorder=0)
        localized_tick_labels(ax)
    # z, as the lessons call a unit's pre-activation, the activation's input.
    style.label_axes(value_ax, title=_("Activation functions"), xlabel="z", ylabel="f(z)")
    style.label_axes(slope_ax, title=_("Their derivatives"), xlabel="z", ylabel="f′(z)")
    style.add_legend(value_ax, location="upper left")
    return figure, _describe(data)


def _describe(data) -> str:
    activations, params = data["activations"], data["params"]
    sentences = [_("Left: %(names)s for inputs z from %(low)s to %(high)s. Right: their "
                   "derivatives.") % {
        "names": names([choice_label(name) for name in activations]),
        "low": signed(params["x_min"]), "high": signed(params["x_max"])}]
    for name, curves in activations.items():
        values = {"name": choice_label(name),
                  "peak": number(curves["max_derivative_on_grid"])}
        if curves["inactive_kind"] == "saturated" and (
                curves["inactive_above"] >= max(-params["x_min"], params["x_max"])):
            # Its saturated region starts beyond the plotted range: say what the plot shows.
            values["edge"] = number(max(as_array(curves["derivatives"])[[0, -1]]))
            sentence = _("The derivative of %(name)s peaks at %(peak)s and falls as |z| "
                         "grows and the function saturates, to %(edge)s at the ends of the "
                         "range.")
        elif curves["inactive_kind"] == "saturated":
            values["bound"] = number(curves["inactive_above"])
            sentence = _("The derivative of %(name)s peaks at %(peak)s and is close to zero "
                         "beyond |z| = %(bound)s, where the function saturates.")
        elif curves["inactive_kind"] == "smooth":
            values.update(peak=number(curves["max_derivative"], 3),
                          at=number(curves["argmax_derivative"], 3),
                          dip=number(curves["min_derivative"], 3).replace("-", "\u2212"))
            sentence = _("The derivative of %(name)s peaks at %(peak)s, above 1, at z = %(at)s, "
                         "and dips to %(dip)s at z = −%(at)s; it tends to zero only for very "
                         "negative z.")
        elif curves["inactive_kind"] == "dead":
            values["peak"] = number(curves["max_derivative"])
            sentence = _("The derivative of %(name)s is %(peak)s for positive z and zero for "
                         "negative z.")
        else:
            values["peak"] = number(curves["max_derivative"])
            values["leak"] = number(curves["inactive_max_derivative"])
            sentence = _("The derivative of %(name)s is %(peak)s for positive z and %(leak)s "
                         "for negative z.")
        sentences.append(sentence % values)
    return join(sentences)
