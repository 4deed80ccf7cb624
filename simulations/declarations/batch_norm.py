"""The batch-normalization simulation, as the lab, the API and questions see it."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..declaration import SimulationDeclaration
from ..engine import batch_norm
from ..plots import PlotKind
from ..plots import batch_norm as plots
from ..plots.common import number
from ..summaries import value


def summarize(data):
    """Key numbers of the loss plot: final and held-out losses of both networks."""
    return [
        (_("Final minibatch loss without batch norm"), value(data["final_loss_plain"])),
        (_("Final minibatch loss with batch norm"), value(data["final_loss_bn"])),
        (_("Held-out loss without batch norm"), value(data["held_out_loss_plain"])),
        (_("Held-out loss with batch norm (running statistics)"),
         value(data["held_out_loss_running"])),
        (_("Held-out loss of the mean target"), value(data["held_out_loss_constant"])),
    ]


def summarize_grad_flow(data):
    """Key numbers of the gradient-flow plot: first-to-last ratios of both networks."""
    return [
        (_("First-to-last gradient ratio without batch norm"),
         value(data["grad_ratio_first_to_last_plain"])),
        (_("First-to-last gradient ratio with batch norm"),
         value(data["grad_ratio_first_to_last_bn"])),
    ]


def summarize_inference(data):
    """Key numbers of the inference plot: the held-out loss per way of normalizing."""
    sizes, losses = data["eval_batch_sizes"], data["held_out_loss_batch"]
    return [
        (_("Held-out loss with the running statistics"), value(data["held_out_loss_running"])),
        (_("Held-out loss with batches of %(size)s") % {"size": sizes[0]}, value(losses[0])),
        (_("Held-out loss with batches of %(size)s") % {"size": sizes[-1]}, value(losses[-1])),
        (_("Output gap with batches of %(size)s (RMS)") % {"size": sizes[0]},
         value(data["output_gap_batch"][0])),
    ]


def describe_loss(data) -> list[str]:
    """Define the loss, the normalization and the running statistics the numbers use."""
    params = data["params"]
    return [
        # Not the shared single-output sentence: the held-out losses average over other
        # examples than one training batch.
        _("Loss: half the mean squared error between the single linear output y and the "
          "target t, L = 1/(2n) · Σ (y − t)², over the n examples it is measured on (a "
          "training batch of B = %(batch)d, or the %(held_out)d held-out examples).")
        % {"batch": params["batch_size"], "held_out": params["held_out"]},
        _("Batch norm: ẑ = (z − mean) / √(var + ε) per unit over the batch (biased variance), "
          "then γ ẑ + β, before the activation; the layer before it has no bias."),
        _("Running statistics, updated at every training step with momentum m = %(m)s: "
          "mean ← (1 − m) mean + m · batch mean, var ← (1 − m) var + m · unbiased batch "
          "variance, as in PyTorch's BatchNorm1d.") % {"m": number(params["momentum"])},
    ]


DECLARATION = SimulationDeclaration(
    engine=batch_norm.SIMULATION,
    title=gettext_lazy("Batch normalization"),
    description=gettext_lazy(
        "The same deep network trained by SGD without and with batch normalization: the "
        "gradient per layer at initialization, the loss at every step, and the held-out "
        "loss when batches are normalized with their own statistics or with the running "
        "ones."),
    plot_kinds=(
        PlotKind("loss", gettext_lazy("Training loss per step"), plots.draw_loss),
        PlotKind("grad_flow", gettext_lazy("Gradient norm per layer at initialization"),
                 plots.draw_grad_flow, summarize=summarize_grad_flow),
        PlotKind("inference", gettext_lazy("Batch statistics against running statistics"),
                 plots.draw_inference, summarize=summarize_inference),
    ),
    config_label=plots.config_label,
    summarize=summarize,
    describe_loss=describe_loss,
    param_labels={
        "steps": gettext_lazy("SGD steps"),
        "held_out": gettext_lazy("Held-out examples"),
        "momentum": gettext_lazy("Momentum of the running statistics"),
    },
    param_help_texts={
        "steps": gettext_lazy("Number of SGD steps."),
        "depth": gettext_lazy("Number of hidden layers."),
        "held_out": gettext_lazy("Examples kept apart and evaluated after training."),
        "momentum": gettext_lazy("Weight m of each new batch in the running mean and "
                                 "variance (0.1 in torch)."),
    },
    quantities={
        # How much larger the first hidden layer's weight gradient is than the last's.
        "grad_ratio_bn": "grad_norms_bn[0] / grad_norms_bn[-1]",
        "grad_ratio_plain": "grad_norms_plain[0] / grad_norms_plain[-1]",
        # How much worse the held-out loss gets with the smallest evaluation batches.
        "small_batch_loss_ratio": "held_out_loss_batch[0] / held_out_loss_running",
    },
    # Lesson 18.11's training figures (200 steps) cost 0.9 of the bound; the lab's
    # link from them must open for anonymous readers too.
    anonymous_cost_share=0.95,
)
