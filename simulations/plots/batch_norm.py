"""Plots of the batch-norm simulation: gradient flow at initialization, the loss per
step, and held-out loss with batch statistics against running statistics.

Every result holds two networks (without and with batch norm): each plot draws both,
in two fixed colours, for one result; a second result (another series) gets its own
markers and the series' name in the legend.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from ..descriptions import choice_label
from . import style
from .common import (
    Series,
    as_array,
    join,
    lead,
    localized_tick_labels,
    magnitude,
    number,
    positive,
)

PLAIN_COLOUR, BN_COLOUR = style.COLOURS[0], style.COLOURS[1]
SMOOTHING = 10  # steps in the moving average drawn over the noisy minibatch losses


def config_label(data) -> str:
    """Name a lone result by its activation and depth."""
    params = data["params"]
    return _("%(activation)s, %(depth)s layers") % {
        "activation": choice_label(params["activation"]), "depth": params["depth"]}


def _prefix(item: Series, series: Sequence[Series]) -> str:
    return f"{item.label}: " if len(series) > 1 else ""


def draw_grad_flow(series: Sequence[Series]) -> tuple[Figure, str]:
    """Draw ||dL/dW_l|| against the layer l, without and with batch norm, on a log axis."""
    figure, (ax,) = style.new_figure()
    for index, item in enumerate(series):
        layers = item.data["layers"]
        for field, colour, name in (("grad_norms_plain", PLAIN_COLOUR, _("without batch norm")),
                                    ("grad_norms_bn", BN_COLOUR, _("with batch norm"))):
            ax.plot(layers, positive(as_array(item.data[field])), color=colour,
                    marker=style.MARKERS[index % len(style.MARKERS)],
                    linestyle=style.DASHES[index % len(style.DASHES)], markersize=5,
                    label=_prefix(item, series) + name)
    ax.set_yscale("log")  # growth by a factor per layer reads as a straight line
    depth = len(series[0].data["layers"])
    # Past ten layers, every fifth: the shared ticks (1, 4, 6, ..) look uneven here.
    ax.set_xticks(series[0].data["layers"] if depth <= 10 else [1, *range(5, depth + 1, 5)])
    style.label_axes(ax, title=_("Gradient norm per layer at initialization"),
                     xlabel=_("Hidden layer (1 = nearest the input)"),
                     ylabel=_("%(label)s (log scale)") % {"label": _("‖∂L/∂W‖ of the layer")})
    style.add_legend(ax)
    return figure, _describe_grad_flow(series)


def _describe_grad_flow(series) -> str:
    sentences = [_("Norm of the gradient of the loss with respect to each hidden layer's "
                   "weights, at initialization, on the first minibatch, for the same "
                   "weights without and with batch normalization. The vertical axis is "
                   "logarithmic.")]
    for item in series:
        values = {"plain": magnitude(item.data["grad_ratio_first_to_last_plain"]),
                  "bn": magnitude(item.data["grad_ratio_first_to_last_bn"])}
        sentences.append(lead(item.label if len(series) > 1 else "", _(
            "The first layer's gradient norm is %(plain)s times the last one's without batch "
            "norm and %(bn)s times with it.") % values))
    return join(sentences)


def moving_average(values: np.ndarray, window: int) -> np.ndarray:
    """Return the mean of each value and the window - 1 before it (fewer at the start)."""
    sums = np.cumsum(np.nan_to_num(values))
    sums[window:] = sums[window:] - sums[:-window]
    counts = np.minimum(np.arange(1, len(values) + 1), window)
    averaged = sums / counts
    averaged[np.isnan(values)] = np.nan
    return averaged


def draw_loss(series: Sequence[Series]) -> tuple[Figure, str]:
    """Draw the minibatch loss per step, faint, and its moving average, for both networks."""
    figure, (ax,) = style.new_figure()
    values: list = []
    for index, item in enumerate(series):
        steps = item.data["steps"]
        for field, colour, name in (("losses_plain", PLAIN_COLOUR, _("without batch norm")),
                                    ("losses_bn", BN_COLOUR, _("with batch norm"))):
            losses = positive(as_array(item.data[field]))
            values += item.data[field]
            dash = style.DASHES[index % len(style.DASHES)]
            ax.plot(steps, losses, color=colour, linewidth=0.8, alpha=0.3, linestyle=dash)
            ax.plot(steps, moving_average(losses, SMOOTHING), color=colour, linewidth=2,
                    linestyle=dash, label=_prefix(item, series) + name)
    log = style.use_log_scale(ax, values)
    if not log:
        localized_tick_labels(ax)  # "0,1" in Portuguese
    ylabel = _("Minibatch loss")
    style.label_axes(ax, title=_("Training loss, without and with batch norm"),
                     xlabel=_("SGD step"),
                     ylabel=_("%(label)s (log scale)") % {"label": ylabel} if log else ylabel)
    style.add_legend(ax, title=_("moving average of %(count)d steps") % {"count": SMOOTHING})
    return figure, _describe_loss(series, log)


def _describe_loss(series, log: bool) -> str:
    sentences = [_("Loss of each SGD step's minibatch, faint, with its moving average over "
                   "%(count)d steps, for the same network trained on the same minibatches "
                   "without and with batch normalization.") % {"count": SMOOTHING}]
    if log:
        sentences.append(_("The vertical axis is logarithmic."))
    for item in series:
        data = item.data
        values = {"plain": number(data["held_out_loss_plain"]),
                  "bn": number(data["held_out_loss_running"]),
                  "constant": number(data["held_out_loss_constant"])}
        sentences.append(lead(item.label if len(series) > 1 else "", _(
            "After training, the held-out loss is %(plain)s without batch norm and %(bn)s "
            "with it (inference mode); predicting the mean target gives %(constant)s.")
            % values))
    return join(sentences)


def draw_inference(series: Sequence[Series]) -> tuple[Figure, str]:
    """Draw the held-out loss with batch statistics against the batch size, and the
    inference-mode (running statistics) and no-batch-norm losses as horizontal lines."""
    figure, (ax,) = style.new_figure()
    values: list = []
    for index, item in enumerate(series):
        data, prefix = item.data, _prefix(item, series)
        sizes = data["eval_batch_sizes"]
        values += data["held_out_loss_batch"]
        ax.plot(sizes, positive(as_array(data["held_out_loss_batch"])), color=BN_COLOUR,
                marker=style.MARKERS[index % len(style.MARKERS)], markersize=6,
                label=prefix + _("batch norm, statistics of each batch"))
        dash = style.DASHES[(index + 1) % len(style.DASHES)]
        for field, colour, line, name in (
                ("held_out_loss_running", BN_COLOUR, dash, _("batch norm, running statistics")),
                ("held_out_loss_plain", PLAIN_COLOUR, dash, _("without batch norm")),
                ("held_out_loss_constant", style.REFERENCE, ":",
                 _("predicting the mean target"))):
            if data[field] is not None:
                values.append(data[field])
                ax.axhline(data[field], color=colour, linestyle=line, linewidth=1.4,
                           label=prefix + name)
    ax.set_xscale("log", base=2)
    sizes = series[0].data["eval_batch_sizes"]
    log = style.use_log_scale(ax, values)
    if not log:
        localized_tick_labels(ax)  # "0,1" in Portuguese
    ax.set_xticks(sizes, labels=[str(size) for size in sizes])
    ax.minorticks_off()
    ylabel = _("Held-out loss")
    style.label_axes(ax, title=_("Held-out loss: batch statistics or running statistics"),
                     xlabel=_("Examples per batch at evaluation (log scale)"),
                     ylabel=_("%(label)s (log scale)") % {"label": ylabel} if log else ylabel)
    style.add_legend(ax)
    return figure, _describe_inference(series)


def _describe_inference(series) -> str:
    sentences = [_("Loss on held-out examples of the network trained with batch norm, when "
                   "each batch of the held-out set is normalized with its own statistics, "
                   "against the number of examples per batch, compared with the same network "
                   "in inference mode (running statistics) and with the network trained "
                   "without batch norm.")]
    for item in series:
        data = item.data
        values = {"small": data["eval_batch_sizes"][0],
                  "small_loss": number(data["held_out_loss_batch"][0]),
                  "large": data["eval_batch_sizes"][-1],
                  "large_loss": number(data["held_out_loss_batch"][-1]),
                  "running": number(data["held_out_loss_running"])}
        sentences.append(lead(item.label if len(series) > 1 else "", _(
            "With batches of %(small)s examples the loss is %(small_loss)s; with %(large)s, "
            "%(large_loss)s; with the running statistics, %(running)s.") % values))
    return join(sentences)
