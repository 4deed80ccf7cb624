"""The initialization-variance simulation, as the lab, the API and questions see it."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..declaration import SimulationDeclaration
from ..descriptions import choice_label
from ..engine import init_variance
from ..plots import PlotKind
from ..plots import init_variance as plots
from ..summaries import Numbers, value


def summarize(data) -> Numbers:
    last = data["layers"][-1]
    return [
        (_("Var[z] at layer %(layer)d, %(scheme)s") % {"layer": last,
                                                       "scheme": choice_label(scheme)},
         value(values["preactivation_variances"][-1]))
        for scheme, values in data["schemes"].items()
    ]


DECLARATION = SimulationDeclaration(
    engine=init_variance.SIMULATION,
    title=gettext_lazy("Weight initialization and activation variance"),
    description=gettext_lazy(
        "How the variance of the activations changes from layer to layer under each "
        "weight initialization scheme."),
    plot_kinds=(
        PlotKind("variance", gettext_lazy("Activation variance per layer"), plots.draw_variance),
    ),
    config_label=plots.config_label,
    summarize=summarize,
    # Lesson 18.9 reproduces Glorot & Bengio's networks (10 layers of 500 units) for
    # every scheme at once, which costs 85% of the bound: its lab link must open for all.
    anonymous_cost_share=0.9,
)
