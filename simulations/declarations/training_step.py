"""One training step of a 2-2-1 network, as the lab, the API and questions see it."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..declaration import SimulationDeclaration
from ..engine import training_step
from ..plots import PlotKind
from ..plots import training_step as plots
from ..plots.common import number
from ..summaries import Numbers, value


def summarize(data) -> Numbers:
    return [
        (_("Output y"), number(data["output"], 3)),
        (_("Loss before the step"), value(data["loss"])),
        (_("Loss after the step"), value(data["loss_after"])),
        (_("Change of the loss"), value(data["loss_change"])),
        (_("Change predicted to first order, −η‖g‖²"), value(data["first_order_change"])),
        (_("Gradient norm ‖g‖"), value(data["gradient_norm"])),
    ]


def describe_loss(data) -> list[str]:
    return [_("Loss: L = ½ (y − t)², half the squared error between the output y and the "
              "target t of the single example.")]


DECLARATION = SimulationDeclaration(
    engine=training_step.SIMULATION,
    title=gettext_lazy("One training step of a tiny network"),
    description=gettext_lazy(
        "A network with 2 inputs, 2 sigmoid hidden units and 1 linear output, weights drawn "
        "from the seed: every value of the forward pass, every gradient of the backward pass, "
        "and the loss before and after one step of gradient descent."),
    plot_kinds=(
        PlotKind("graph", gettext_lazy("The network's graph with every number"),
                 plots.draw_graph),
    ),
    config_label=plots.config_label,
    summarize=summarize,
    param_labels={
        "x1": gettext_lazy("Input x₁"),
        "x2": gettext_lazy("Input x₂"),
        "target": gettext_lazy("Target t"),
    },
    param_help_texts={
        "learning_rate": gettext_lazy("Step size η of the update p ← p − η ∂L/∂p."),
    },
    quantities={
        "loss_decrease": "loss - loss_after",
        "relative_loss_change": "loss_change / loss",
    },
    describe_loss=describe_loss,
)
