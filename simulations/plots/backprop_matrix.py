"""Plots of backpropagation in matrix form: every matrix as a heat-map with its numbers.

Rows are examples (the engine's batch-major layout), columns are units; each cell
shows its value with four significant digits of the panel's largest entry (three
when the panel has five columns) so that a learner can recompute an
entry of Delta_l or of dL/dW_l by hand. Colours are symmetric around zero (blue
negative, orange positive), scaled per panel: the numbers, not the colours, compare
panels.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from django.utils import formats
from django.utils.translation import gettext as _
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from ..descriptions import choice_label
from . import style
from .common import Series, join, number

DIVERGING = LinearSegmentedColormap.from_list(
    "gradiente_diverging", [style.COLOURS[0], style.PAPER, style.COLOURS[1]])
_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def config_label(data) -> str:
    """Name a lone result by its layer sizes, batch and activation."""
    params = data["params"]
    return _("%(sizes)s network, batch of %(batch)d, %(activation)s") % {
        "sizes": "-".join(map(str, data["sizes"])), "batch": params["batch_size"],
        "activation": choice_label(params["activation"])}


def panel_exponent(values: np.ndarray) -> int:
    """Return the power of ten a panel is shown in units of (0: its numbers as they are).

    Panels whose largest entry is below 0.01 or from 100 on are shown as multiples of
    10^e, e the exponent of that entry, so every cell keeps the same number of significant digits of
    the largest entry in a few characters.
    """
    finite = np.abs(values[np.isfinite(values)])
    if not finite.size or finite.max() == 0:
        return 0
    exponent = math.floor(math.log10(float(finite.max())))
    return exponent if exponent <= -2 or exponent >= 2 else 0


def cell_text(value: float, decimals: int) -> str:
    """Return a cell's value with ``decimals`` decimals, in the active locale."""
    if math.isnan(value):
        return "?"
    rounded = round(value, decimals) + 0.0  # -0.0 becomes 0.0: no "-0.00"
    return formats.number_format(rounded, decimal_pos=decimals)


def superscript(layer: int) -> str:
    return str(layer).translate(_SUPERSCRIPTS)


def _heat_map(ax, matrix, title: str, *, row_label: str, column_label: str,
              row_names: Sequence[str] | None = None) -> None:
    values = np.array([[np.nan if v is None else v for v in row] for row in matrix])
    exponent = panel_exponent(values)
    shown = values / 10.0**exponent
    finite = np.abs(shown[np.isfinite(shown)])
    scale = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    rows, columns = shown.shape
    digits = 4 if columns <= 4 else 3  # five columns leave room for three digits only
    decimals = max(0, digits - 1 - math.floor(math.log10(scale)))
    ax.imshow(shown, cmap=DIVERGING, vmin=-scale, vmax=scale, aspect="auto")
    size = {1: 9, 2: 9, 3: 9, 4: 8}.get(columns, 7)
    for (row, column), value in np.ndenumerate(shown):
        dark = abs(value) > 0.65 * scale
        ax.text(column, row, cell_text(value, decimals), ha="center", va="center",
                fontsize=size, color=style.PAPER if dark else style.INK,
                fontfamily=style.FONT_FAMILY)
    ax.set_xticks(range(columns), [str(c + 1) for c in range(columns)])
    ax.set_yticks(range(rows), row_names or [str(r + 1) for r in range(rows)])
    ax.tick_params(length=0, labelsize=8)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    if exponent:
        title += " ×10" + str(exponent).translate(_SUPERSCRIPTS)
    ax.set_title(title, fontsize=10, color=style.INK, fontfamily=style.FONT_FAMILY, loc="left")
    ax.set_xlabel(column_label, fontsize=8, color=style.MUTED)
    ax.set_ylabel(row_label, fontsize=8, color=style.MUTED)


def _shape(matrix) -> str:
    return f"({len(matrix)}×{len(matrix[0])})"


def draw_deltas(series: Sequence[Series]) -> tuple[Figure, str]:
    """Draw the activations H_l (top row) and the deltas Delta_l (bottom row) of one result."""
    data = series[0].data
    layers = data["layers"]  # 1 .. L + 1
    columns = len(layers) + 1
    figure = Figure(figsize=(style.WIDTH_PX / style.BASE_DPI, style.HEIGHT_PX / style.BASE_DPI),
                    dpi=style.BASE_DPI, facecolor=style.PAPER, layout="constrained")
    grid = figure.subplots(2, columns, squeeze=False)
    example, unit = _("example"), _("unit")
    top = [("x = h⁰", data["inputs"])] + [
        (f"h{superscript(layer)}", data["activations"][layer - 1]) for layer in layers[:-1]
    ] + [("ŷ", data["activations"][-1])]
    bottom = [("t", data["targets"])] + [
        (f"δ{superscript(layer)}", data["deltas"][layer - 1]) for layer in layers]
    for ax, (name, matrix) in zip(grid[0], top, strict=True):
        _heat_map(ax, matrix, f"{name} {_shape(matrix)}", row_label=example, column_label=unit)
    for ax, (name, matrix) in zip(grid[1], bottom, strict=True):
        _heat_map(ax, matrix, f"{name} {_shape(matrix)}", row_label=example, column_label=unit)
    figure.suptitle(_("Forward pass (top): x, h and ŷ. Backward pass (bottom): t and "
                      "δ = ∂L/∂z of each layer"),
                    fontsize=11, color=style.INK, fontfamily=style.FONT_FAMILY, x=0.01,
                    ha="left")
    exponents = [panel_exponent(np.array(matrix, dtype=float)) for _, matrix in top + bottom]
    scaled = next((exponent for exponent in exponents if exponent), 0)
    if scaled:
        power = "10" + str(scaled).translate(_SUPERSCRIPTS)
        style.add_note(figure, _("A panel marked ×%(power)s shows its numbers in units of "
                                 "%(power)s: multiply them by %(power)s.") % {"power": power})
    return figure, _describe_deltas(data)


def draw_weights(series: Sequence[Series]) -> tuple[Figure, str]:
    """Draw every weight matrix W_l (rows: inputs of the layer, columns: its units).

    The bias b_l is the panel's last row, marked "b" and set off by a line: with it, every
    pre-activation Z_l = H_{l-1} W_l + b_l can be recomputed from the figures.
    """
    data = series[0].data
    layers = data["layers"]
    figure = Figure(figsize=(style.WIDTH_PX / style.BASE_DPI, style.HEIGHT_PX / style.BASE_DPI),
                    dpi=style.BASE_DPI, facecolor=style.PAPER, layout="constrained")
    grid = figure.subplots(1, len(layers), squeeze=False)[0]
    for ax, layer in zip(grid, layers, strict=True):
        matrix = data["weights"][layer - 1]
        rows = [str(row + 1) for row in range(len(matrix))] + ["b"]
        _heat_map(ax, [*matrix, data["biases"][layer - 1]],
                  f"W{superscript(layer)} {_shape(matrix)}, b{superscript(layer)}",
                  row_label=_("input of the layer"), column_label=_("unit"), row_names=rows)
        ax.axhline(len(matrix) - 0.5, color=style.INK, linewidth=1.5)
    figure.suptitle(_("Weight matrices (rows: inputs; columns: units); below the line, "
                      "the bias b"),
                    fontsize=11, color=style.INK, fontfamily=style.FONT_FAMILY, x=0.01,
                    ha="left")
    return figure, _describe_weights(data)


def _describe_deltas(data) -> str:
    sizes = "-".join(map(str, data["sizes"]))
    sentences = [_("Heat maps of the forward pass and the backward pass of a %(sizes)s network "
                   "on a batch of %(batch)d examples: one row per example, one column per unit. "
                   "Top: the input, the activations of each hidden layer and the output; "
                   "bottom: the targets and the δ of each layer.") % {
        "sizes": sizes, "batch": data["params"]["batch_size"]}]
    norms = data["delta_norms"]
    parts = [_("layer %(layer)d (%(shape)s), norm %(norm)s") % {
        "layer": layer, "shape": "×".join(map(str, shape)),
        "norm": "?" if norm is None else number(norm)}
        for layer, shape, norm in zip(data["layers"], data["delta_shapes"], norms, strict=True)]
    sentences.append(_("δ by layer: %(parts)s.") % {"parts": "; ".join(parts)})
    return join(sentences)


def _describe_weights(data) -> str:
    shapes = ", ".join(
        f"W{layer} {'×'.join(map(str, shape))}"
        for layer, shape in zip(data["layers"], data["weight_grad_shapes"], strict=True))
    return _("Heat maps of the weight matrices of a %(sizes)s network, one row per input of "
             "the layer and one column per unit, with the bias as the last row: "
             "%(shapes)s.") % {
        "sizes": "-".join(map(str, data["sizes"])), "shapes": shapes}

