"""The residual gradient-flow simulation, as the lab, the API and questions see it."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..declaration import SimulationDeclaration
from ..engine import residual
from ..plots import PlotKind
from ..plots import residual as plots
from ..summaries import Numbers, value


def summarize(data) -> Numbers:
    """Key numbers: the gradient at both ends and how much the forward signal grew."""
    norms, stds, layers = data["hidden_grad_norms"], data["activation_stds"], data["layers"]
    first, last = layers[0], layers[-1]
    return [
        (_("Gradient norm at layer %(layer)d") % {"layer": last}, value(norms[-1])),
        (_("Gradient norm at layer %(layer)d") % {"layer": first}, value(norms[0])),
        (_("Ratio layer %(first)d / layer %(last)d") % {"first": first, "last": last},
         value(data["hidden_grad_ratio_first_to_last"])),
        (_("Activation std at layer %(layer)d") % {"layer": last}, value(stds[-1])),
    ]


def describe_loss(data) -> list[str]:
    """Define the loss and the norm the gradient panel shows."""
    batch = data["params"]["batch_size"]
    return [
        _("Loss: L = 1/(2B) · Σ_b (y_b − t_b)², half the squared error of one linear output "
          "averaged over the batch of B = %(batch)d examples.") % {"batch": batch},
        _("Gradient norms: the root mean square over the batch of ‖∂ℓ_b/∂h_l‖, each "
          "example's gradient of its own loss with respect to the output of layer l."),
    ]


DECLARATION = SimulationDeclaration(
    engine=residual.SIMULATION,
    title=gettext_lazy("Gradient flow with residual connections"),
    description=gettext_lazy(
        "One forward and backward pass through a deep network with or without identity "
        "shortcuts: the gradient norm at every layer and the spread of its output."),
    plot_kinds=(
        PlotKind("gradients", gettext_lazy("Gradient and spread per layer"),
                 plots.draw_gradients),
    ),
    config_label=plots.config_label,
    summarize=summarize,
    describe_loss=describe_loss,
    param_labels={
        "residual": gettext_lazy("Residual connections"),
        "branch_scale": gettext_lazy("Scale of each residual branch"),
    },
    param_help_texts={
        "residual": gettext_lazy("Add each layer's input to its output, h_l = h_(l−1) + "
                                 "a·f(z_l); off, the plain network h_l = f(z_l)."),
        "branch_scale": gettext_lazy("The factor a of every branch: 1, or 1/√L for L "
                                     "layers (ignored without shortcuts)."),
    },
    quantities={
        "first_layer_grad_norm": "hidden_grad_norms[0]",
        "last_layer_grad_norm": "hidden_grad_norms[-1]",
        "last_layer_activation_std": "activation_stds[-1]",
    },
)
