"""The gradient-descent simulation, as the lab, the API and questions see it."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..declaration import SimulationDeclaration
from ..engine import descent
from ..plots import PlotKind
from ..plots import descent as plots
from ..plots.common import number
from ..summaries import Numbers, value

OUTCOMES = {
    "converged": gettext_lazy("converged"),
    "diverged": gettext_lazy("diverged"),
    "unfinished": gettext_lazy("not yet converged"),
}


def summarize(data) -> Numbers:
    steps = data["steps_to_tolerance"]
    return [
        (_("Learning rate η"), value(data["learning_rate"])),
        (_("Stability limit 2/λ_max"), value(data["critical_learning_rate"])),
        (_("Best fixed η, 2/(λ_max + λ_min)"), value(data["best_learning_rate"])),
        (_("Factor per step near the minimum"), number(data["predicted_rate"], 3)),
        (_("Outcome"), str(OUTCOMES[data["outcome"]])),
        (_("Steps to the tolerance"), "—" if steps is None else str(steps)),
        (_("Final distance / initial distance"), value(data["final_distance_ratio"])),
    ]


def describe_loss(data) -> list[str]:
    """Define the surface and the distance the numbers refer to."""
    surface = _("Loss: L(θ) = ½ θᵀAθ with A = diag(λ_max/κ, λ_max), λ_max = 1; the minimum "
                "is θ* = 0. Distance: ‖θ_t − θ*‖.")
    if data["params"]["lr_rule"] == "best":
        rate = _("Learning rate η = 2/(λ_max + λ_min), the best fixed rate.")
    else:
        rate = _("Learning rate η = fraction × 2/λ_max.")
    return [f"{surface} {rate}"]


DECLARATION = SimulationDeclaration(
    engine=descent.SIMULATION,
    title=gettext_lazy("Gradient descent and the learning rate"),
    description=gettext_lazy(
        "Gradient descent on a two-parameter quadratic bowl: the path over the contour "
        "lines and the loss at every step, for a learning rate and a condition number."),
    plot_kinds=(
        PlotKind("paths", gettext_lazy("Paths over the contour lines"), plots.draw_paths),
        PlotKind("loss", gettext_lazy("Loss per step"), plots.draw_loss),
    ),
    config_label=plots.config_label,
    summarize=summarize,
    describe_loss=describe_loss,
    param_labels={
        "objective": gettext_lazy("Loss surface"),
        "optimizer": gettext_lazy("Optimizer"),
        "condition_number": gettext_lazy("Condition number κ"),
        "lr_fraction": gettext_lazy("Learning rate (fraction of 2/λ_max)"),
        "lr_rule": gettext_lazy("Learning rate rule"),
        "steps": gettext_lazy("Steps"),
        "start_x": gettext_lazy("Start θ₁"),
        "start_y": gettext_lazy("Start θ₂"),
        "tolerance": gettext_lazy("Tolerance (fraction of the initial distance)"),
    },
    param_help_texts={
        "objective": gettext_lazy("The quadratic bowl ½ θᵀAθ."),
        "optimizer": gettext_lazy("Plain gradient descent: θ ← θ − η∇L."),
        "condition_number": gettext_lazy("κ = λ_max/λ_min, how much steeper the bowl is in one "
                                         "direction than in the other."),
        "lr_fraction": gettext_lazy("η as a fraction of 2/λ_max: below 1/2 the path goes "
                                    "straight down the steep direction, between 1/2 and 1 it "
                                    "zigzags, above 1 it diverges."),
        "lr_rule": gettext_lazy("A fraction of 2/λ_max, or the best fixed rate for the "
                                "quadratic, 2/(λ_max + λ_min), whatever the fraction."),
        "steps": gettext_lazy("Number of updates."),
        "start_x": gettext_lazy("Initial value of the shallow coordinate."),
        "start_y": gettext_lazy("Initial value of the steep coordinate."),
        "tolerance": gettext_lazy("The run has converged when its distance to the minimum "
                                  "falls to this fraction of the initial distance."),
    },
    quantities={
        # The distance's measured factor per step (a geometric mean over the run).
        "measured_rate": "final_distance_ratio ** (1 / (len(steps) - 1))",
    },
)
