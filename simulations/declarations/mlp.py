"""The deep MLP gradient-flow simulation, as the lab, the API and questions see it."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..declaration import SimulationDeclaration
from ..engine import mlp
from ..plots import PlotKind
from ..plots import mlp as plots
from ..summaries import Numbers, percent, value


def summarize(data) -> Numbers:
    """Key numbers of the gradient plot: the loss and how the gradient changes with depth."""
    norms = data["weight_grad_norms"]
    layers = data["layers"]
    return [
        (_("Loss"), value(data["loss"])),
        (_("Gradient norm at layer %(layer)d") % {"layer": layers[-1]}, value(norms[-1])),
        (_("Gradient norm at layer %(layer)d") % {"layer": layers[0]}, value(norms[0])),
        (_("Ratio layer %(first)d / layer %(last)d") % {"first": layers[0], "last": layers[-1]},
         value(data["grad_ratio_first_to_last"])),
        inactive_share(data),
    ]


def summarize_activations(data) -> Numbers:
    """Key numbers of the activations plot: the spread at both ends and the inactive units."""
    stds = data["activation_stds"]
    layers = data["layers"]
    ratio = stds[-1] / stds[0] if stds[0] and stds[-1] is not None else None
    return [
        (_("Activation std at layer %(layer)d") % {"layer": layers[0]}, value(stds[0])),
        (_("Activation std at layer %(layer)d") % {"layer": layers[-1]}, value(stds[-1])),
        (_("Ratio layer %(last)d / layer %(first)d") % {"first": layers[0], "last": layers[-1]},
         value(ratio)),
        inactive_share(data),
    ]


def inactive_share(data) -> tuple[str, str]:
    """Return the largest share of saturated (sigmoid, tanh) or dead (ReLU) units."""
    shares = data["saturated_fractions"] or data["dead_fractions"] or []
    finite_shares = [share for share in shares if share is not None]
    label = (_("Largest share of saturated units") if data["saturated_fractions"] is not None
             else _("Largest share of dead units"))
    return label, percent(max(finite_shares, default=None))


def describe_loss(data) -> list[str]:
    """Define the run's loss convention and the norm the gradient plot shows."""
    params = data["params"]
    sizes = {"batch": params["batch_size"], "outputs": params["outputs"]}
    loss = {
        "half_squared_error": _(
            "Loss: L = 1/(2B) · Σ_b ‖y_b − t_b‖², half the squared error between the outputs "
            "y_b (k = %(outputs)d linear units) and the targets t_b, averaged over the batch "
            "of B = %(batch)d examples."),
        "mean_squared_error": _(
            "Loss: L = 1/(Bk) · Σ_b ‖y_b − t_b‖², the squared error averaged over the "
            "B = %(batch)d examples and the k = %(outputs)d linear outputs (PyTorch's "
            "MSELoss)."),
        "probe": _(
            "Loss: L = Σ_b ⟨g_b, y_b⟩, with a fixed random probe g_b ~ N(0, I/k) for each of "
            "the B = %(batch)d examples (k = %(outputs)d linear outputs), so that "
            "∂L/∂y_b = g_b: summed over the batch, not averaged, it measures the backward "
            "signal itself."),
    }[data["loss_convention"]] % sizes
    norm = _("Gradient norms: ‖∂L/∂W_l‖_F, the Frobenius norm of the gradient of this loss "
             "with respect to the weights of layer l.")
    return [loss, norm]


DECLARATION = SimulationDeclaration(
    engine=mlp.SIMULATION,
    title=gettext_lazy("Gradient flow in a deep network"),
    description=gettext_lazy(
        "One forward and backward pass through a deep multilayer perceptron: the norm of "
        "the gradient of every layer's weights and the statistics of its activations."),
    plot_kinds=(
        PlotKind("gradients", gettext_lazy("Gradient norm per layer"), plots.draw_gradients),
        PlotKind("activations", gettext_lazy("Activations per layer"), plots.draw_activations,
                 summarize=summarize_activations),
    ),
    config_label=plots.config_label,
    summarize=summarize,
    describe_loss=describe_loss,
    quantities={
        "hidden_grad_ratio_first_to_last": "hidden_grad_norms[0] / hidden_grad_norms[-1]",
        "activation_std_ratio_last_to_first": "activation_stds[-1] / activation_stds[0]",
        "first_layer_weight_grad_norm": "weight_grad_norms[0]",
        "last_layer_weight_grad_norm": "weight_grad_norms[-1]",
        "last_layer_activation_std": "activation_stds[-1]",
    },
)
