"""The mini-batch SGD simulation, as the lab, the API and questions see it."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..declaration import SimulationDeclaration
from ..engine import minibatch
from ..plots import PlotKind
from ..plots import minibatch as plots
from ..plots.common import number
from ..summaries import value


def summarize(data):
    batch = data["params"]["batch_size"]
    return [
        (_("Spread at B = 1"), value(data["spreads"][0])),
        (_("Spread at B = %(batch)s") % {"batch": batch}, value(data["spread_at_batch_size"])),
        (_("Closed form at B = %(batch)s") % {"batch": batch},
         value(data["predicted_spread_at_batch_size"])),
        (_("Fitted log-log slope"), number(data["spread_slope"], 3)),
        (_("Updates"), str(data["updates"])),
        (_("Final loss"), value(data["final_loss"])),
        (_("Smallest possible loss"), value(data["optimal_loss"])),
    ]


def describe_loss(data) -> list[str]:
    """Define the loss, the gradients and the spread the numbers refer to."""
    return [
        _("Loss: L(θ) = 1/(2N) Σₙ (xₙ·θ − yₙ)², a linear regression on N synthetic "
          "examples."),
        _("Spread: the mean of ‖g_B − g‖² over the drawn mini-batches, where g_B is the "
          "gradient of a mini-batch of B examples and g the full gradient, both at the "
          "initial weights θ = 0."),
    ]


DECLARATION = SimulationDeclaration(
    engine=minibatch.SIMULATION,
    title=gettext_lazy("Stochastic gradient descent and mini-batches"),
    description=gettext_lazy(
        "How far mini-batch gradients fall from the full gradient as the batch grows, and "
        "how SGD's loss falls, epoch by epoch, with a given batch size."),
    plot_kinds=(
        PlotKind("spread", gettext_lazy("Spread of mini-batch gradients"), plots.draw_spread),
        PlotKind("loss", gettext_lazy("Loss by epochs"), plots.draw_loss),
    ),
    config_label=plots.config_label,
    summarize=summarize,
    describe_loss=describe_loss,
    param_labels={
        "features": gettext_lazy("Input features"),
        "noise": gettext_lazy("Noise on the targets"),
        "epochs": gettext_lazy("Epochs"),
        "draws": gettext_lazy("Mini-batches drawn per size"),
        "sampling": gettext_lazy("Sampling of the mini-batches"),
    },
    param_help_texts={
        "samples": gettext_lazy("Number N of examples in the synthetic data set."),
        "batch_size": gettext_lazy("Examples per mini-batch B, for SGD and for the spread."),
        "learning_rate": gettext_lazy("Step size η of SGD."),
        "features": gettext_lazy("Number of input features of the linear regression."),
        "noise": gettext_lazy("Standard deviation of the noise added to the targets."),
        "epochs": gettext_lazy("Passes over the data set; each one reshuffles it."),
        "draws": gettext_lazy("How many mini-batches of each size are drawn to measure the "
                              "spread."),
        "sampling": gettext_lazy("Without replacement, as any single batch of a shuffled "
                                 "epoch: no example twice in a batch. With replacement: "
                                 "independent picks."),
    },
    quantities={
        # By how much the spread shrinks from B = 1 to the chosen batch size.
        "spread_reduction": "spreads[0] / spread_at_batch_size",
        # The same reduction in expectation, from the closed form: B (N - 1) / (N - B)
        # without replacement, B with it. It does not depend on the draws' noise.
        "expected_spread_reduction": "predicted_spreads[0] / predicted_spread_at_batch_size",
    },
)
