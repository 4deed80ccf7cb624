"""The regularization simulation, as the lab, the API and questions see it."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..declaration import SimulationDeclaration
from ..engine import regularization
from ..plots import PlotKind
from ..plots import regularization as plots
from ..summaries import Numbers, value


def summarize(data) -> Numbers:
    """Key numbers of the loss plot: both losses at the end and the best validation loss."""
    return [
        (_("Final training loss"), value(data["final_train_loss"])),
        (_("Final validation loss"), value(data["final_validation_loss"])),
        (_("Lowest validation loss"), value(data["best_validation_loss"])),
        (_("Step of the lowest validation loss"), str(data["best_validation_step"])),
        (_("Noise floor σ²/2"), value(data["noise_floor"])),
        (_("Norm of all the weights after training"), value(data["weight_norm"])),
    ]


def summarize_grad_norms(data) -> Numbers:
    """Key numbers of the gradient plot: the first and last layers' norms and their ratio."""
    norms = data["initial_grad_norms"]
    return [
        (_("Layer 1"), value(norms[0] if norms else None)),
        (_("Last hidden layer"), value(norms[-1] if norms else None)),
        (_("Ratio first / last"), value(data["initial_grad_ratio_first_to_last"])),
    ]


def describe_loss(data) -> list[str]:
    """Define the losses the plots show and the regularizer in force."""
    return [
        _("Loss: L = 1/(2B) · Σ_b (y_b − t_b)² over the B = %(train)d training examples; the "
          "validation loss is the same average over %(validation)d other examples drawn the "
          "same way. The loss curves are measured without dropout and without the penalty; "
          "the gradient norms of the first step are those of L through that step's dropout "
          "masks.") % {
              "train": data["params"]["train_samples"],
              "validation": data["params"]["validation_samples"]},
        _("Weight decay adds λ·W to every weight's gradient, the gradient of (λ/2)·Σ‖W‖²; "
          "dropout keeps each hidden unit with probability 1 − p and divides what it keeps "
          "by 1 − p."),
    ]


DECLARATION = SimulationDeclaration(
    engine=regularization.SIMULATION,
    title=gettext_lazy("Regularization: weight decay and dropout"),
    description=gettext_lazy(
        "A network trained on a few noisy examples: its training and validation losses at "
        "every step, with no regularization, with weight decay or with dropout."),
    plot_kinds=(
        PlotKind("loss", gettext_lazy("Training and validation loss"), plots.draw_loss),
        PlotKind("grad_norms", gettext_lazy("Gradient norm per layer at the first step"),
                 plots.draw_grad_norms, summarize=summarize_grad_norms),
    ),
    config_label=plots.config_label,
    summarize=summarize,
    describe_loss=describe_loss,
    param_labels={
        "features": gettext_lazy("Input features"),
        "train_samples": gettext_lazy("Training examples"),
        "validation_samples": gettext_lazy("Validation examples"),
        "noise": gettext_lazy("Noise on the targets"),
        "steps": gettext_lazy("Gradient descent steps"),
        "regularizer": gettext_lazy("Regularizer"),
        "weight_decay": gettext_lazy("Weight decay λ"),
        "dropout": gettext_lazy("Dropout probability p"),
    },
    param_help_texts={
        "features": gettext_lazy("Number of inputs of every example."),
        "train_samples": gettext_lazy("Examples the network is trained on."),
        "validation_samples": gettext_lazy("Other examples, never trained on, that measure "
                                           "how well the network generalizes."),
        "noise": gettext_lazy("Standard deviation of the noise added to the targets."),
        "steps": gettext_lazy("Full-batch gradient descent steps."),
        "depth": gettext_lazy("Number of hidden layers."),
        "regularizer": gettext_lazy("None, weight decay (L2) or dropout."),
        "weight_decay": gettext_lazy("λ: every step adds λ·W to the gradient of each "
                                     "weight matrix (used with weight decay only)."),
        "dropout": gettext_lazy("Probability p of dropping each hidden unit at each step "
                                "(used with dropout only)."),
    },
    quantities={
        # How much higher the validation loss ends than at its best: the price of overfitting.
        "validation_rise": "final_validation_loss / best_validation_loss",
        "initial_first_layer_grad_norm": "initial_grad_norms[0]",
    },
)
