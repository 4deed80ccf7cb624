"""The gradient-check simulation, as the lab, the API and questions see it."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..declaration import SimulationDeclaration
from ..descriptions import single_output_loss
from ..engine import gradcheck
from ..plots import PlotKind
from ..plots import gradcheck as plots
from ..plots.common import scientific
from ..summaries import Numbers, value


def summarize(data) -> Numbers:
    return [
        (_("Largest relative error"), value(data["max_relative_error"])),
        (_("Tolerance"), scientific(data["tolerance"])),
        (_("Check"), _("passes") if data["passed"] else _("fails")),
    ]


DECLARATION = SimulationDeclaration(
    engine=gradcheck.SIMULATION,
    title=gettext_lazy("Gradient check: backpropagation against finite differences"),
    description=gettext_lazy(
        "The gradients computed by backpropagation compared with central finite "
        "differences on a small network."),
    plot_kinds=(
        PlotKind("errors", gettext_lazy("Backprop against finite differences"),
                 plots.draw_errors),
        PlotKind("epsilon_sweep", gettext_lazy("Error against the step ε"),
                 plots.draw_epsilon_sweep),
    ),
    config_label=plots.config_label,
    summarize=summarize,
    describe_loss=single_output_loss,
    quantities={
        "best_epsilon": "sweep.best_epsilon",
        "model_best_epsilon": "sweep.model_best_epsilon",
        "truncation_slope": "sweep.truncation_slope",
        "rounding_slope": "sweep.rounding_slope",
    },
)
