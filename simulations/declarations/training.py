"""The training-dynamics simulation, as the lab, the API and questions see it."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..declaration import SimulationDeclaration
from ..descriptions import single_output_loss
from ..engine import training
from ..plots import PlotKind
from ..plots import training as plots
from ..summaries import Numbers, percent, value


def summarize(data) -> Numbers:
    """Key numbers of the loss plot: where the loss starts and ends."""
    return [
        (_("Initial loss"), value(data["losses"][0] if data["losses"] else None)),
        (_("Final loss"), value(data["final_loss"])),
        *clipping_and_divergence(data),
    ]


def summarize_grad_norms(data) -> Numbers:
    """Key numbers of the gradient-norm plot: the norm at both ends and at its largest."""
    norms = data["grad_norms"]
    finite = [norm for norm in norms if norm is not None]
    return [
        (_("Initial gradient norm"), value(norms[0] if norms else None)),
        (_("Final gradient norm"), value(norms[-1] if norms else None)),
        (_("Largest gradient norm"), value(max(finite, default=None))),
        *clipping_and_divergence(data),
    ]


def summarize_clip_angle(data) -> Numbers:
    """Key numbers of the angle plot: how far clipping turned the step at most."""
    return [
        (_("Largest angle between the step and the gradient (degrees)"),
         value(data["largest_clip_angle"])),
        *clipping_and_divergence(data),
    ]


def clipping_and_divergence(data) -> Numbers:
    """Return the share of clipped steps (when clipping) and whether the run diverged."""
    numbers = []
    if data["params"]["clipping"] != "none":
        numbers.append((_("Steps with a clipped gradient"), percent(data["clipped_fraction"])))
    if data["diverged"]:
        numbers.append((_("Diverged at step"), str(data["divergence_step"])))
    else:
        numbers.append((_("Diverged"), _("no")))
    return numbers


def describe_loss(data) -> list[str]:
    """Define the loss and the global gradient norm the plots show."""
    norm = _("Global gradient norm: √(Σ ‖∂L/∂θ‖²) over every weight and bias θ, computed by "
             "backpropagation before any clipping.")
    return [*single_output_loss(data), norm]


DECLARATION = SimulationDeclaration(
    engine=training.SIMULATION,
    title=gettext_lazy("Training dynamics and gradient clipping"),
    description=gettext_lazy(
        "A deep network trained with gradient descent on a small synthetic data set: the "
        "loss and the gradient norm at every step, with or without gradient clipping."),
    plot_kinds=(
        PlotKind("loss", gettext_lazy("Training loss per step"), plots.draw_loss),
        PlotKind("grad_norm", gettext_lazy("Gradient norm per step"), plots.draw_grad_norm,
                 summarize=summarize_grad_norms),
        PlotKind("clip_angle", gettext_lazy("Angle between the clipped step and the gradient"),
                 plots.draw_clip_angle, summarize=summarize_clip_angle),
    ),
    config_label=plots.config_label,
    summarize=summarize,
    describe_loss=describe_loss,
    # Here "steps" and "depth" count SGD steps and hidden layers, not time or layers crossed.
    param_labels={"steps": gettext_lazy("SGD steps")},
    param_help_texts={
        "steps": gettext_lazy("Number of SGD steps."),
        "depth": gettext_lazy("Number of hidden layers."),
    },
)
