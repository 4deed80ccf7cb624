"""The dying-ReLU simulation, as the lab, the API and questions see it."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..declaration import SimulationDeclaration
from ..engine import dead_relu
from ..plots import PlotKind
from ..plots import dead_relu as plots
from ..summaries import Numbers


def summarize(data) -> Numbers:
    return [
        (_("Dead units after the large steps"), plots.percent(data["dead_fraction"])),
        (_("Dead units after the recovery"), plots.percent(data["dead_fraction_after_recovery"])),
        (_("Dead units at initialization"), plots.percent(data["initial_dead_fraction"])),
    ]


DECLARATION = SimulationDeclaration(
    engine=dead_relu.SIMULATION,
    title=gettext_lazy("Dying ReLUs after too-large steps"),
    description=gettext_lazy(
        "A few SGD steps with a large learning rate push hidden ReLU units to a "
        "pre-activation at most zero on every example, where their gradient is zero: the "
        "share of dead units against the learning rate and the initial bias, with leaky "
        "ReLU for contrast."),
    plot_kinds=(
        PlotKind("dead_units", gettext_lazy("Dead units and loss"), plots.draw_dead_units),
    ),
    config_label=plots.config_label,
    summarize=summarize,
    param_labels={
        "bias_init": gettext_lazy("Initial hidden bias b₀"),
        "recovery_steps": gettext_lazy("Recovery steps"),
        "recovery_rate": gettext_lazy("Recovery learning rate"),
        "sweep_min": gettext_lazy("Sweep: smallest learning rate"),
        "sweep_max": gettext_lazy("Sweep: largest learning rate"),
        "sweep_points": gettext_lazy("Sweep: learning rates"),
        "hidden_layers": gettext_lazy("Hidden layers"),
        "examples": gettext_lazy("Examples"),
        "steps": gettext_lazy("Large SGD steps"),
    },
    param_help_texts={
        "width": gettext_lazy("Units in every hidden layer (the input has 2)."),
        "steps": gettext_lazy("SGD steps at the learning rate, before the recovery."),
        "bias_init": gettext_lazy("Every hidden bias starts at this value."),
        "recovery_steps": gettext_lazy(
            "Full-batch steps at the recovery rate after the large steps (0: none)."),
        "recovery_rate": gettext_lazy("Step size of the recovery phase."),
        "sweep_points": gettext_lazy(
            "How many learning rates, log-spaced, the sweep runs (0: no sweep)."),
    },
    quantities={
        "dead_fraction": "dead_fraction",
        "dead_count": "dead_count",
    },
)
