"""Reverse-mode differentiation and the cost of a backward pass, as the lab and questions see it."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..declaration import SimulationDeclaration
from ..engine import reverse_mode
from ..plots import PlotKind
from ..plots import reverse_mode as plots
from ..plots.common import number, scientific
from ..summaries import Numbers


def summarize(data) -> Numbers:
    return [
        (_("f(x₁, x₂)"), number(data["f"], 4)),
        (_("∂f/∂x₁"), number(data["gradient"][0], 4)),
        (_("∂f/∂x₂"), number(data["gradient"][1], 4)),
        (_("Forward-pass flops"), scientific(data["forward_flops"])),
        (_("Backward-pass flops"), scientific(data["backward_flops"])),
        (_("Backward / forward"), number(data["backward_to_forward_ratio"])),
        (_("Parameters (forward-mode passes)"), number(data["parameter_count"], 6)),
    ]


DECLARATION = SimulationDeclaration(
    engine=reverse_mode.SIMULATION,
    title=gettext_lazy("Reverse-mode differentiation and the cost of a backward pass"),
    description=gettext_lazy(
        "The values, local derivatives and adjoints of a small expression graph, and the "
        "floating-point operations of the forward and backward passes of an MLP."),
    plot_kinds=(
        PlotKind("graph", gettext_lazy("Expression graph with values and adjoints"),
                 plots.draw_graph),
        PlotKind("cost", gettext_lazy("Forward and backward cost of an MLP"), plots.draw_cost),
    ),
    config_label=plots.config_label,
    summarize=summarize,
    param_labels={
        "x1": gettext_lazy("Input x₁"),
        "x2": gettext_lazy("Input x₂"),
    },
    quantities={
        "df_dx1": "gradient[0]",
        "df_dx2": "gradient[1]",
    },
)
