"""The gradient-descent simulation, as the lab, the API and questions see it."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..declaration import SimulationDeclaration
from ..engine import descent
from ..plots import PlotKind
from ..plots import descent as plots
from ..plots import optimizers as optimizer_plots
from ..plots.common import number
from ..summaries import Numbers, value

OUTCOMES = {
    "converged": gettext_lazy("converged"),
    "diverged": gettext_lazy("diverged"),
    "unfinished": gettext_lazy("not yet converged"),
}


def summarize(data) -> Numbers:
    steps = data["steps_to_tolerance"]
    rate = data["predicted_rate"]
    momentum = [(_("Momentum β"), number(data["momentum"], 4))] if data["momentum"] else []
    return [
        (_("Learning rate η"), value(data["learning_rate"])),
        *momentum,
        (_("Stability limit 2/λ_max"), value(data["critical_learning_rate"])),
        (_("Best fixed η, 2/(λ_max + λ_min)"), value(data["best_learning_rate"])),
        (_("Factor per step near the minimum"), "—" if rate is None else number(rate, 3)),
        (_("Outcome"), str(OUTCOMES[data["outcome"]])),
        (_("Steps to the tolerance"), "—" if steps is None else str(steps)),
        (_("Final distance / initial distance"), value(data["final_distance_ratio"])),
    ]


def describe_loss(data) -> list[str]:
    """Define the surface and the distance the numbers refer to."""
    params = data["params"]
    if params["objective"] == "rosenbrock":
        surface = _("Loss: Rosenbrock's valley L(x, y) = (1 − x)² + 100 (y − x²)²; the minimum "
                    "is θ* = (1, 1). Distance: ‖θ_t − θ*‖.")
    elif params["rotation"]:
        surface = _("Loss: L(θ) = ½ θᵀRARᵀθ with A = diag(λ_max/κ, λ_max), λ_max = 1, and R "
                    "a rotation by %(angle)s°; the minimum is θ* = 0. Distance: ‖θ_t − θ*‖."
                    ) % {"angle": number(params["rotation"], 3)}
    else:
        surface = _("Loss: L(θ) = ½ θᵀAθ with A = diag(λ_max/κ, λ_max), λ_max = 1; the "
                    "minimum is θ* = 0. Distance: ‖θ_t − θ*‖.")
    if params["lr_rule"] == "best" and params["optimizer"] == "momentum":
        rate = _("Polyak's best momentum: η = 4/(√λ_max + √λ_min)², "
                 "β = ((√κ − 1)/(√κ + 1))².")
    elif params["lr_rule"] == "best":
        rate = _("Learning rate η = 2/(λ_max + λ_min), the best fixed rate.")
    elif params["lr_rule"] == "absolute":
        rate = _("Learning rate η as given.")
    else:
        rate = _("Learning rate η = fraction × 2/λ_max.")
    # Two sentences: a figure's caption lists each once, however many series share one.
    return [surface, rate]


DECLARATION = SimulationDeclaration(
    engine=descent.SIMULATION,
    title=gettext_lazy("Gradient descent and its optimizers"),
    description=gettext_lazy(
        "Gradient descent, momentum, RMSProp and Adam on a two-parameter quadratic bowl or "
        "on Rosenbrock's valley: the path over the contour lines and the loss at every "
        "step, for a learning rate and a condition number."),
    plot_kinds=(
        PlotKind("paths", gettext_lazy("Paths over the contour lines"), plots.draw_paths),
        PlotKind("loss", gettext_lazy("Loss per step"), plots.draw_loss),
        PlotKind("together", gettext_lazy("Paths of several runs on one surface"),
                 optimizer_plots.draw_together),
        PlotKind("sweep", gettext_lazy("Steps to converge against κ (needs the sweep)"),
                 optimizer_plots.draw_sweep),
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
        "learning_rate": gettext_lazy("Learning rate η (absolute rule)"),
        "momentum": gettext_lazy("Momentum β"),
        "rmsprop_alpha": gettext_lazy("RMSProp's decay α"),
        "beta1": gettext_lazy("Adam's β₁"),
        "beta2": gettext_lazy("Adam's β₂"),
        "eps": gettext_lazy("ε (RMSProp, Adam)"),
        "rotation": gettext_lazy("Rotation of the bowl (degrees)"),
        "sweep": gettext_lazy("Sweep κ from 1 to 1000"),
    },
    param_help_texts={
        "objective": gettext_lazy("The quadratic bowl ½ θᵀAθ, or Rosenbrock's valley "
                                  "(1 − x)² + 100 (y − x²)², whose minimum is (1, 1)."),
        "optimizer": gettext_lazy("Gradient descent θ ← θ − η∇L; momentum v ← βv + ∇L, "
                                  "θ ← θ − ηv; RMSProp and Adam, which divide each "
                                  "coordinate's step by a running root mean square of its "
                                  "gradient."),
        "condition_number": gettext_lazy("κ = λ_max/λ_min, how much steeper the bowl is in one "
                                         "direction than in the other."),
        "lr_fraction": gettext_lazy("η as a fraction of 2/λ_max: below 1/2 the path goes "
                                    "straight down the steep direction, between 1/2 and 1 it "
                                    "zigzags, above 1 it diverges."),
        "lr_rule": gettext_lazy("A fraction of 2/λ_max; the best fixed rate for the "
                                "quadratic, 2/(λ_max + λ_min) (with momentum, Polyak's best η "
                                "and β); or the absolute learning rate below, as RMSProp and "
                                "Adam need."),
        "steps": gettext_lazy("Number of updates."),
        "start_x": gettext_lazy("Initial value of the shallow coordinate."),
        "start_y": gettext_lazy("Initial value of the steep coordinate."),
        "tolerance": gettext_lazy("The run has converged when its distance to the minimum "
                                  "falls to this fraction of the initial distance."),
        "learning_rate": gettext_lazy("η itself, used when the rule is 'absolute'."),
        "momentum": gettext_lazy("How much of the previous velocity each step keeps."),
        "rmsprop_alpha": gettext_lazy("s ← αs + (1 − α)g²; torch's default is 0.99."),
        "beta1": gettext_lazy("Decay of Adam's running mean of the gradient (torch: 0.9)."),
        "beta2": gettext_lazy("Decay of Adam's running mean of the squared gradient "
                              "(torch: 0.999)."),
        "eps": gettext_lazy("Added to the root mean square before dividing (torch: 10⁻⁸)."),
        "rotation": gettext_lazy("Turns the bowl's axes away from the coordinates: "
                                 "per-coordinate step sizes no longer fit its directions."),
        "sweep": gettext_lazy("Also count the steps to the tolerance on bowls with κ from 1 "
                              "to 1000, for the 'steps against κ' plot."),
    },
    quantities={
        # The distance's measured factor per step (a geometric mean over the run).
        "measured_rate": "final_distance_ratio ** (1 / (len(steps) - 1))",
    },
)
