"""Backpropagation in matrix form, as the lab, the API and questions see it."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..declaration import SimulationDeclaration
from ..engine import backprop_matrix
from ..plots import PlotKind
from ..plots import backprop_matrix as plots
from ..summaries import Numbers, value


def summarize(data) -> Numbers:
    numbers = [(_("Loss"), value(data["loss"]))]
    for layer, shape, norm in zip(data["layers"], data["delta_shapes"], data["delta_norms"],
                                  strict=True):
        numbers.append((_("‖δ‖ of layer %(layer)d %(shape)s") % {
            "layer": layer, "shape": "(" + "×".join(map(str, shape)) + ")"}, value(norm)))
    return numbers


def describe_loss(data) -> list[str]:
    """Define the loss and δ as the figures show them."""
    return [_("Loss: L = 1/(2B) · Σ_b ‖ŷ_b − t_b‖², half the squared error averaged over the "
              "batch of B = %(batch)d examples; the output layer is linear. δ of layer l is "
              "∂L/∂z of that layer's pre-activations z = h W + b, with one row for each "
              "example.")
            % {"batch": data["params"]["batch_size"]}]


DECLARATION = SimulationDeclaration(
    engine=backprop_matrix.SIMULATION,
    title=gettext_lazy("Backpropagation in matrix form"),
    description=gettext_lazy(
        "The forward pass and the backward pass of a small network on a small batch, with "
        "every activation and every δ shown as a matrix, one row for each example."),
    plot_kinds=(
        PlotKind("deltas", gettext_lazy("Activations and δ of every layer"), plots.draw_deltas),
        PlotKind("weights", gettext_lazy("Weight matrices"), plots.draw_weights),
    ),
    config_label=plots.config_label,
    summarize=summarize,
    describe_loss=describe_loss,
    param_labels={
        "input_size": gettext_lazy("Input size"),
        "depth": gettext_lazy("Hidden layers"),
        "width": gettext_lazy("Units per hidden layer"),
    },
    param_help_texts={
        "depth": gettext_lazy("Number of hidden layers."),
        "width": gettext_lazy("Units in every hidden layer."),
        "input_size": gettext_lazy("Number of inputs of the network."),
    },
    quantities={
        "output_delta_norm": "delta_norms[-1]",
        "first_delta_norm": "delta_norms[0]",
        "first_weight_grad_entries": "weight_grad_shapes[0][0] * weight_grad_shapes[0][1]",
        # The entry (row 3, column 1) of the output layer's dL/dW: an exercise of lesson 18.6.
        "output_weight_grad_row3_col1": "weight_grads[-1][2][0]",
    },
)
