"""The recurrent gradient-flow simulation, as the lab, the API and questions see it."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..declaration import SimulationDeclaration
from ..engine import recurrent
from ..plots import PlotKind
from ..plots import recurrent as plots
from ..summaries import Numbers, percent, value


def summarize(data) -> Numbers:
    steps = data["steps"]
    numbers = [
        (_("Gradient norm at step %(step)d") % {"step": steps[-1]},
         value(data["grad_h_norms"][-1])),
        (_("Gradient norm at step %(step)d") % {"step": steps[0]}, value(data["grad_h_norms"][0])),
        (_("Ratio step %(first)d / step %(last)d") % {"first": steps[0], "last": steps[-1]},
         value(data["grad_ratio_first_to_last"])),
        (_("Spectral radius"), value(data["spectral_radius"])),
        (_("Largest singular value"), value(data["largest_singular_value"])),
    ]
    if data["saturated_fraction"] is not None:
        numbers.append((_("Saturated tanh units"), percent(data["saturated_fraction"])))
    return numbers


def describe_loss(data) -> list[str]:
    """Define the run's loss convention and the exact norm the plot shows per step."""
    sizes = {"batch": data["params"]["batch_size"]}
    loss = {
        "half_squared_error": _(
            "Loss: L = 1/(2B) · Σ_b ‖h_T^b − y^b‖², half the squared error between the last "
            "hidden state h_T^b and a target y^b, averaged over the batch of B = %(batch)d "
            "sequences."),
        "probe": _(
            "Loss: L = Σ_b ⟨g_b, h_T^b⟩, with a fixed random probe g_b ~ N(0, I/H) for each "
            "sequence, so that ∂L/∂h_T^b = g_b, summed over the batch of B = %(batch)d "
            "sequences."),
    }[data["loss_convention"]] % sizes
    norm = _("Gradient norms: RMS_b ‖∂l_b/∂h_t^b‖ = √(mean_b ‖∂l_b/∂h_t^b‖²), the root mean "
             "square over the batch of the gradient of each sequence's own loss l_b with "
             "respect to its state h_t^b (not the Frobenius norm ‖∂L/∂h_t‖_F of the batch "
             "loss's gradient).")
    return [loss, norm]


DECLARATION = SimulationDeclaration(
    engine=recurrent.SIMULATION,
    title=gettext_lazy("Gradient flow through time in recurrent networks"),
    description=gettext_lazy(
        "Backpropagation through time in a vanilla RNN, an LSTM or a GRU: how much of the "
        "gradient of a loss at the last step reaches each earlier step."),
    plot_kinds=(
        PlotKind("gradients", gettext_lazy("Gradient norm per time step"), plots.draw_gradients),
    ),
    config_label=plots.config_label,
    summarize=summarize,
    describe_loss=describe_loss,
    quantities={
        "first_step_grad_norm": "grad_h_norms[0]",
        "last_step_grad_norm": "grad_h_norms[-1]",
    },
)
