"""Plots of the regularization simulation: both losses per step, gradient norms per layer."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from . import style
from .common import Series, as_array, join, lead, magnitude, number, positive


def config_label(data) -> str:
    """Name a lone result by its regularizer and its strength."""
    params = data["params"]
    if params["regularizer"] == "weight_decay":
        return _("weight decay λ = %(value)s") % {"value": number(params["weight_decay"])}
    if params["regularizer"] == "dropout":
        return _("dropout p = %(value)s") % {"value": number(params["dropout"])}
    return _("no regularization")


def draw_loss(series: Sequence[Series]) -> tuple[Figure, str]:
    """Draw the training loss (dashed) and the validation loss (solid) of every run."""
    figure, (ax,) = style.new_figure()
    every_value: list = []
    for index, item in enumerate(series):
        colour = style.COLOURS[index % len(style.COLOURS)]
        steps = item.data["steps"]
        name = item.label or config_label(item.data)
        for field, dash, words in (("validation_losses", "-", _("validation")),
                                   ("train_losses", "--", _("training"))):
            values = item.data[field]
            every_value += values
            ax.plot(steps, positive(as_array(values)), color=colour, linestyle=dash,
                    linewidth=2.0, label=f"{name}: {words}")
    floor = common_noise_floor(series)
    if floor is not None:
        # The yardstick of overfitting: a training loss far below it fits the noise.
        every_value.append(floor)
        ax.axhline(floor, color="grey", linestyle=":", linewidth=1.5,
                   label=_("σ²/2 (noise floor)"))
    log = style.use_log_scale(ax, every_value)
    style.label_axes(ax, title=_("Training and validation loss"),
                     xlabel=_("Gradient descent step"),
                     ylabel=_("Loss (log scale)") if log else _("Loss"))
    style.add_legend(ax, location="lower left")
    return figure, _describe_loss(series, log)


def common_noise_floor(series: Sequence[Series]) -> float | None:
    """Return the runs' shared σ²/2 if it is positive, None if there is none to draw."""
    floors = {item.data["noise_floor"] for item in series}
    return floors.pop() if len(floors) == 1 and min(floors) > 0 else None


def _describe_loss(series: Sequence[Series], log: bool) -> str:
    sentences = [_("Loss on the training examples (dashed) and on the validation examples "
                   "(solid) at every recorded gradient descent step, both measured without "
                   "dropout and without the penalty.")]
    if log:
        sentences.append(_("The vertical axis is logarithmic."))
    floor = common_noise_floor(series)
    if floor is not None:
        sentences.append(_("The dotted line is σ²/2 = %(floor)s, the loss the noise alone "
                           "imposes.") % {"floor": magnitude(floor)})
    for item in series:
        data = item.data
        if data["final_validation_loss"] is None or data["final_train_loss"] is None:
            sentences.append(lead(item.label, _("The run diverges.")))
            continue
        values = {"train": magnitude(data["final_train_loss"]),
                  "validation": magnitude(data["final_validation_loss"]),
                  "best": magnitude(data["best_validation_loss"]),
                  "step": data["best_validation_step"]}
        sentences.append(lead(item.label, _(
            "The training loss ends at %(train)s and the validation loss at %(validation)s; "
            "the validation loss is lowest, %(best)s, at step %(step)d.") % values))
    return join(sentences)


def draw_grad_norms(series: Sequence[Series]) -> tuple[Figure, str]:
    """Draw ||dL/dW_l|| at the first step against the hidden layer l, one line per run."""
    figure, (ax,) = style.new_figure()
    every_value: list = []
    for index, item in enumerate(series):
        norms = item.data["initial_grad_norms"]
        every_value += norms
        layers = list(range(1, len(norms) + 1))
        ax.plot(layers, positive(as_array(norms)), label=item.label or None,
                **style.series_style(index))
    log = style.use_log_scale(ax, every_value)
    depth = max(len(item.data["initial_grad_norms"]) for item in series)
    style.integer_ticks(ax, list(range(1, depth + 1)))
    style.label_axes(ax, title=_("Weight gradient norm per layer at the first step"),
                     xlabel=_("Hidden layer l (1 = next to the input)"),
                     ylabel=_("‖∂L/∂Wₗ‖ (log scale)") if log else _("‖∂L/∂Wₗ‖"))
    style.add_legend(ax, location="lower right")
    return figure, _describe_grad_norms(series, log)


def _describe_grad_norms(series: Sequence[Series], log: bool) -> str:
    sentences = [_("Norm of the gradient of the loss with respect to each hidden layer's "
                   "weights, at the first gradient descent step (with that step's dropout "
                   "masks, when there is dropout).")]
    if log:
        sentences.append(_("The vertical axis is logarithmic."))
    for item in series:
        norms = item.data["initial_grad_norms"]
        if not norms or None in (norms[0], norms[-1]):
            continue
        sentences.append(lead(item.label, _(
            "It is %(first)s at layer 1 and %(last)s at layer %(depth)d.") % {
                "first": magnitude(norms[0]), "last": magnitude(norms[-1]),
                "depth": len(norms)}))
    return join(sentences)

