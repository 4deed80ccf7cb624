"""The one-unit RNN's cliff, as the lab, the API and questions see it."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..declaration import SimulationDeclaration
from ..engine import cliff
from ..plots import PlotKind
from ..plots import cliff as plots
from ..plots.common import number
from ..summaries import Numbers, percent, value


def summarize(data) -> Numbers:
    """Key numbers of the descent: its largest gradient and step, where it ends."""
    numbers = [
        (_("Largest gradient norm"), value(data["largest_grad_norm"])),
        (_("Longest step"), value(data["largest_step"])),
        (_("Final loss"), value(data["final_loss"])),
    ]
    if data["params"]["clipping"] != "none":
        numbers.append((_("Steps with a clipped gradient"), percent(data["clipped_fraction"])))
        numbers.append((_("Largest angle between the step and the gradient (degrees)"),
                        value(data["largest_clip_angle"])))
    return numbers


def describe_loss(data) -> list[str]:
    """Define the network, its loss and the step length the numbers refer to."""
    params = data["params"]
    text = _("Network: x_t = w·σ(x_{t−1}) + b for t = 1 … %(steps)d, from x_0 = %(x0)s, with "
             "σ the sigmoid. Loss: L = ½ (x_T − %(target)s)². Step length: ‖Δθ‖ of the "
             "update of θ = (w, b).")
    return [text % {"steps": params["time_steps"], "x0": number(params["initial_state"]),
                    "target": number(params["target"])}]


DECLARATION = SimulationDeclaration(
    engine=cliff.SIMULATION,
    title=gettext_lazy("The cliff of a recurrent network and gradient clipping"),
    description=gettext_lazy(
        "Gradient descent on the two parameters of a one-unit recurrent network, whose loss "
        "has a wall where the gradient explodes: one step onto it throws the parameters "
        "far away, unless the gradient is clipped."),
    plot_kinds=(
        PlotKind("paths", gettext_lazy("Descent paths over the loss"), plots.draw_paths),
        PlotKind("steps", gettext_lazy("Length of every step"), plots.draw_steps),
    ),
    config_label=plots.config_label,
    summarize=summarize,
    describe_loss=describe_loss,
    param_labels={
        "time_steps": gettext_lazy("Time steps"),
        "initial_state": gettext_lazy("Initial state x₀"),
        "target": gettext_lazy("Target of x_T"),
        "start_w": gettext_lazy("Starting w"),
        "start_b": gettext_lazy("Starting b"),
        "descent_steps": gettext_lazy("Descent steps"),
        "w_min": gettext_lazy("Window: smallest w"),
        "w_max": gettext_lazy("Window: largest w"),
        "b_min": gettext_lazy("Window: smallest b"),
        "b_max": gettext_lazy("Window: largest b"),
    },
    param_help_texts={
        "time_steps": gettext_lazy("Number of time steps T the unit runs; the loss looks "
                                   "only at the last state."),
        "initial_state": gettext_lazy("The state x₀ before the first step."),
        "target": gettext_lazy("The value the last state x_T should reach."),
        "start_w": gettext_lazy("Recurrent weight where gradient descent starts."),
        "start_b": gettext_lazy("Bias where gradient descent starts."),
        "descent_steps": gettext_lazy("Number of gradient descent steps."),
        "clip_threshold": gettext_lazy("Largest gradient norm ('norm') or largest magnitude "
                                       "of each derivative ('value')."),
        "w_min": gettext_lazy("Left edge of the window drawn."),
        "w_max": gettext_lazy("Right edge of the window drawn."),
        "b_min": gettext_lazy("Bottom edge of the window drawn."),
        "b_max": gettext_lazy("Top edge of the window drawn."),
    },
    quantities={
        "thrown_distance": "largest_step",
    },
)
