"""Plot of the recurrent gradient-flow simulation: ||dL/dh_t|| for every time step t."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from ..descriptions import choice_label
from . import style
from .common import Series, as_array, join, lead, magnitude, number, positive, trend

# result["grad_h_norms"]: the root mean square over the batch of each sequence's gradient
# of its own loss l_b (not the Frobenius norm of the batch loss's gradient).
QUANTITY = r"$\mathrm{RMS}_b\,\|\partial \ell_b / \partial h_t^b\|$"
# result["singular_value_bound"]: (gamma sigma_max)^(T-t) times that norm at T, where
# gamma bounds |f'| (1 for tanh and the identity, 1/4 for the sigmoid).
_LAST = r"\mathrm{RMS}_b\,\|\partial \ell_b / \partial h_T^b\|"
BOUNDS = {
    "sigmoid_rnn": rf"$(\sigma_{{\max}}/4)^{{T-t}}\,{_LAST}$",
    "default": rf"$\sigma_{{\max}}^{{\,T-t}}\,{_LAST}$",
}


def config_label(data) -> str:
    """Name a lone result by its cell and spectral radius."""
    params = data["params"]
    return _("%(cell)s, spectral radius %(radius)s") % {
        "cell": choice_label(params["cell"]), "radius": number(params["spectral_radius"])}


def draw_gradients(series: Sequence[Series]) -> tuple[Figure, str]:
    """Draw the gradient norm reaching each step, with Pascanu's bound for a lone RNN."""
    figure, (ax,) = style.new_figure()
    every_value: list = []
    for index, item in enumerate(series):
        steps, norms = item.data["steps"], item.data["grad_h_norms"]
        every_value += norms
        ax.plot(steps, positive(as_array(norms)), label=item.label,
                **style.series_style(index, points=len(steps)))
    bound = series[0].data.get("singular_value_bound")
    if len(series) == 1 and bound is not None:
        ax.plot(series[0].data["steps"], positive(as_array(bound)), color=style.REFERENCE,
                linestyle=":", linewidth=1.5,
                label=_("upper bound %(formula)s") % {"formula": _bound_formula(series[0].data)})
    log = style.use_log_scale(ax, every_value)
    if log and len(series) == 1 and bound is not None:
        # The bound may run off by many decades: scale the axis to the gradients.
        finite = [v for v in every_value if v]
        if finite:
            ax.set_ylim(min(finite) / 10, max(finite) * 10)
    loss_steps = sorted({item.data["steps"][-1] for item in series})
    style.integer_ticks(ax, sorted({t for item in series for t in item.data["steps"]}))
    style.label_axes(
        ax,
        title=_("Gradient reaching each time step"),
        xlabel=_("Time step t (the loss is at the last step, T = %(steps)s)") % {
            "steps": ", ".join(map(str, loss_steps))},
        ylabel=_("%(quantity)s (log scale)") % {"quantity": QUANTITY} if log else QUANTITY,
    )
    style.add_legend(ax)
    return figure, _describe(series, log)


def _bound_formula(data) -> str:
    return BOUNDS.get(data["params"]["cell"], BOUNDS["default"])


def _describe(series: Sequence[Series], log: bool) -> str:
    sentences = [_("Norm of the gradient of the loss, computed at the last time step, with "
                   "respect to the hidden state at every earlier step.")]
    if log:
        sentences.append(_("The vertical axis is logarithmic."))
    for item in series:
        steps, norms = item.data["steps"], item.data["grad_h_norms"]
        direction, factor = trend(item.data["grad_ratio_first_to_last"])
        values = {"factor": factor, "first": steps[0], "last": steps[-1]}
        sentence = {
            "falls": _("The gradient norm falls by a factor of about %(factor)s from step "
                       "%(last)d back to step %(first)d."),
            "rises": _("The gradient norm grows by a factor of about %(factor)s from step "
                       "%(last)d back to step %(first)d."),
            "flat": _("The gradient norm stays within a factor of %(factor)s from step "
                      "%(last)d back to step %(first)d."),
            "unknown": _("The gradient norm overflows (becomes infinite or undefined) before "
                         "reaching step %(first)d."),
        }[direction] % values
        if direction != "unknown" and norms[0] is not None:
            sentence += " " + _("At step %(first)d it is about %(value)s.") % {
                "first": steps[0], "value": magnitude(norms[0])}
        sentences.append(lead(item.label, sentence))
    return join(sentences)
