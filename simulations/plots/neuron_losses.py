"""Plot of the sigmoid neuron trained with each loss: loss and |dL/dz| per step."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from . import style
from .common import Series, as_array, join, lead, magnitude, number, positive


def loss_label(name: str) -> str:
    return {"squared_error": _("squared error"), "cross_entropy": _("cross-entropy")}[name]


LOSS_NAMES = ("squared_error", "cross_entropy")


def config_label(data) -> str:
    """Name a lone result by its starting point and target."""
    params = data["params"]
    return _("w = %(w)s, b = %(b)s, x = %(x)s, y = %(y)s") % {
        "w": number(params["initial_weight"]), "b": number(params["initial_bias"]),
        "x": number(params["input"]), "y": number(params["target"])}


def draw_training(series: Sequence[Series]) -> tuple[Figure, str]:
    """Draw the loss (left) and |dL/dz| (right, log scale) per step for both losses."""
    figure, (loss_ax, grad_ax) = style.new_figure(panels=2)
    gradients: list = []
    for index, item in enumerate(series):
        steps = item.data["steps"]
        for position, name in enumerate(LOSS_NAMES):
            run = item.data["losses"][name]
            line = style.series_style(position + 2 * index, points=len(steps))
            label = loss_label(name) if len(series) == 1 else f"{item.label}, {loss_label(name)}"
            loss_ax.plot(steps, as_array(run["losses"]), label=label, **line)
            grad_ax.plot(steps, positive(as_array(run["abs_grad_z"])), label=label, **line)
            gradients += run["abs_grad_z"]
            crossing = run["steps_to_cross_half"]
            if crossing is not None and crossing > 0:
                for ax in (loss_ax, grad_ax):
                    ax.axvline(crossing, color=line["color"], linestyle=":", linewidth=1.2)
    if not style.use_log_scale(grad_ax, gradients):
        grad_ax.set_ylim(bottom=0)
    loss_ax.set_ylim(bottom=0)
    style.label_axes(loss_ax, title=_("Loss"), xlabel=_("Gradient descent step"),
                     ylabel=_("Loss L"))
    style.label_axes(grad_ax, title=_("Gradient with respect to the pre-activation"),
                     xlabel=_("Gradient descent step"), ylabel="|∂L/∂z|")
    style.add_legend(loss_ax)
    style.add_note(figure, _("Dotted lines: the step at which the output crosses 0.5 "
                             "towards the target."))
    return figure, _describe(series)


def _describe(series: Sequence[Series]) -> str:
    sentences = [_("Loss and magnitude of the gradient ∂L/∂z at every gradient descent step, "
                   "for one sigmoid neuron trained with the squared error and with the "
                   "cross-entropy from the same start.")]
    for item in series:
        data = item.data
        values = {"slope": magnitude(data["initial_sigmoid_slope"]),
                  "ratio": "?" if data["initial_gradient_ratio"] is None
                  else magnitude(data["initial_gradient_ratio"])}
        sentence = _("At the start the sigmoid's slope is %(slope)s, so the cross-entropy's "
                     "gradient is %(ratio)s times the squared error's.") % values
        for name in LOSS_NAMES:
            crossing = data["losses"][name]["steps_to_cross_half"]
            words = {"loss": loss_label(name), "steps": number(crossing or 0, 6),
                     "total": number(data["params"]["steps"], 6)}
            if crossing is None:
                sentence += " " + _("With the %(loss)s the output does not cross 0.5 within "
                                    "%(total)s steps.") % words
            else:
                sentence += " " + _("With the %(loss)s the output crosses 0.5 after %(steps)s "
                                    "steps.") % words
        sentences.append(lead(item.label if len(series) > 1 else "", sentence))
    return join(sentences)
