"""The sigmoid neuron trained with two losses, as the lab, the API and questions see it."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..declaration import SimulationDeclaration
from ..engine import neuron_losses
from ..plots import PlotKind
from ..plots import neuron_losses as plots
from ..summaries import Numbers, value


def _steps(crossing: int | None) -> str:
    return _("never") if crossing is None else str(crossing)


def summarize(data) -> Numbers:
    runs = data["losses"]
    return [
        (_("Initial output a"), value(runs["cross_entropy"]["outputs"][0])),
        (_("Sigmoid slope σ'(z) at the start"), value(data["initial_sigmoid_slope"])),
        (_("Ratio of the initial |∂L/∂z|: cross-entropy / squared error"),
         value(data["initial_gradient_ratio"])),
        (_("Steps until the output crosses 0.5, squared error"),
         _steps(runs["squared_error"]["steps_to_cross_half"])),
        (_("Steps until the output crosses 0.5, cross-entropy"),
         _steps(runs["cross_entropy"]["steps_to_cross_half"])),
    ]


def describe_loss(data) -> list[str]:
    """Define the two losses and the neuron the plots show."""
    return [_("Neuron: a = σ(z), z = w x + b, one example (x, y). Squared error: "
              "L = (a − y)²/2, so ∂L/∂z = (a − y) σ'(z). Cross-entropy: "
              "L = −[y ln a + (1 − y) ln(1 − a)], so ∂L/∂z = a − y. Each step: "
              "w ← w − η x ∂L/∂z, b ← b − η ∂L/∂z.")]


DECLARATION = SimulationDeclaration(
    engine=neuron_losses.SIMULATION,
    title=gettext_lazy("A sigmoid neuron: squared error versus cross-entropy"),
    description=gettext_lazy(
        "One sigmoid neuron trained by gradient descent on one example, from the same start, "
        "with the squared error and with the cross-entropy: the loss and the gradient with "
        "respect to the pre-activation at every step."),
    plot_kinds=(
        PlotKind("training", gettext_lazy("Loss and gradient per step"), plots.draw_training),
    ),
    config_label=plots.config_label,
    summarize=summarize,
    describe_loss=describe_loss,
    param_labels={
        "initial_weight": gettext_lazy("Initial weight w"),
        "initial_bias": gettext_lazy("Initial bias b"),
        "input": gettext_lazy("Input x"),
        "target": gettext_lazy("Target y"),
        "steps": gettext_lazy("Gradient descent steps"),
    },
    param_help_texts={
        "initial_weight": gettext_lazy("Weight before the first step."),
        "initial_bias": gettext_lazy("Bias before the first step."),
        "input": gettext_lazy("The input of the one training example."),
        "target": gettext_lazy("The output the neuron should learn, between 0 and 1."),
        "steps": gettext_lazy("Number of gradient descent steps."),
    },
    quantities={
        "initial_gradient_ratio": "initial_gradient_ratio",
        "squared_error_steps_to_half": "losses.squared_error.steps_to_cross_half",
        "cross_entropy_steps_to_half": "losses.cross_entropy.steps_to_cross_half",
    },
)
