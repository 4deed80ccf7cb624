"""The activation-functions simulation, as the lab, the API and questions see it."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..declaration import SimulationDeclaration
from ..descriptions import choice_label
from ..engine import activations
from ..plots import PlotKind
from ..plots import activations as plots
from ..plots.common import number
from ..summaries import Numbers


def summarize(data) -> Numbers:
    return [
        (_("Largest derivative of %(name)s") % {"name": choice_label(name)},
         number(curves["max_derivative_on_grid"]))
        for name, curves in data["activations"].items()
    ]


DECLARATION = SimulationDeclaration(
    engine=activations.SIMULATION,
    title=gettext_lazy("Activation functions and their derivatives"),
    description=gettext_lazy(
        "Sigmoid, tanh, ReLU, leaky ReLU and GELU with their derivatives, and where each "
        "one saturates or stops passing gradient."),
    plot_kinds=(
        PlotKind("functions", gettext_lazy("Functions and derivatives"), plots.draw_functions),
    ),
    config_label=plots.config_label,
    summarize=summarize,
)
