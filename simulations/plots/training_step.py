"""Plot of one training step of the 2-2-1 network: its graph with every number on it."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from . import style
from .common import Series, join, number
from .graph_drawing import BACKWARD, FORWARD, blank_canvas, edge, key, node

HEIGHT_PX = 600
DIGITS = 3  # significant digits of the drawn numbers: enough to redo a step by hand
SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")

# Centres of the nodes in the unit square: inputs, hidden units, output, loss.
INPUTS = ((0.09, 0.70), (0.09, 0.28))
HIDDEN = ((0.45, 0.70), (0.45, 0.28))
OUTPUT = (0.775, 0.49)
LOSS = (0.935, 0.49)
NODE_WIDTH = 0.15
HIDDEN_WIDTH = 0.18
GAP = 0.012  # room for an arrowhead in front of a box


def config_label(data) -> str:
    """Name a lone result by its input, target and learning rate."""
    params = data["params"]
    return _("x = (%(x1)s, %(x2)s), t = %(target)s, η = %(rate)s") % {
        "x1": number(params["x1"], DIGITS), "x2": number(params["x2"], DIGITS),
        "target": number(params["target"], DIGITS),
        "rate": number(params["learning_rate"], DIGITS)}


def sub(index: int) -> str:
    return str(index).translate(SUBSCRIPTS)


def value(name: str, amount: float | None) -> str:
    return f"{name} = {'?' if amount is None else number(amount, DIGITS)}"


def grad(name: str, amount: float | None) -> str:
    return value(f"∂L/∂{name}", amount)


def draw_graph(series: Sequence[Series]) -> tuple[Figure, str]:
    """Draw the first result's network with its forward values and its gradients."""
    data = series[0].data
    weights, grads = data["weights"], data["gradients"]
    figure, (ax,) = style.new_figure(height_px=HEIGHT_PX, fits_narrow=False)
    blank_canvas(ax)
    half = NODE_WIDTH / 2
    for i, start in enumerate(INPUTS):
        for j, end in enumerate(HIDDEN):
            name = f"w{sub(i + 1)}{sub(j + 1)}"
            # Straight edges are labelled outside the pair, crossing ones near their input.
            crossing = i != j
            edge(ax, (start[0] + half, start[1]), (end[0] - HIDDEN_WIDTH / 2 - GAP, end[1]),
                 [(value(name, weights["hidden_weights"][i][j]), FORWARD),
                  (grad(name, grads["hidden_weights"][i][j]), BACKWARD)],
                 at=0.27 if crossing else 0.55,
                 offset=0.0 if crossing else (0.065 if i == 0 else -0.065))
    for j, start in enumerate(HIDDEN):
        name = f"v{sub(j + 1)}"
        edge(ax, (start[0] + HIDDEN_WIDTH / 2, start[1]), (OUTPUT[0] - half - GAP, OUTPUT[1]),
             [(value(name, weights["output_weights"][j]), FORWARD),
              (grad(name, grads["output_weights"][j]), BACKWARD)], at=0.5,
             offset=0.07 if j == 0 else -0.07)
    edge(ax, (OUTPUT[0] + half, OUTPUT[1]), (LOSS[0] - 0.05 - GAP, LOSS[1]), [], at=0.5)
    for i, centre in enumerate(INPUTS):
        name = f"x{sub(i + 1)}"
        node(ax, *centre, [(value(name, data["inputs"][i]), FORWARD),
                           (grad(name, data["input_grads"][i]), BACKWARD)], width=NODE_WIDTH)
    for j, centre in enumerate(HIDDEN):
        k = sub(j + 1)
        node(ax, *centre, [
            (value(f"b{k}", weights["hidden_biases"][j]), FORWARD),
            (value(f"z{k}", data["pre_activations"][j]), FORWARD),
            (value(f"h{k} = σ(z{k})", data["hidden"][j]), FORWARD),
            (grad(f"h{k}", data["hidden_grads"][j]), BACKWARD),
            (grad(f"z{k}", data["pre_activation_grads"][j]), BACKWARD),
            (grad(f"b{k}", grads["hidden_biases"][j]), BACKWARD),
        ], width=HIDDEN_WIDTH)
    node(ax, *OUTPUT, [
        (value("c", weights["output_bias"]), FORWARD),
        (value("y", data["output"]), FORWARD),
        (grad("y", data["output_grad"]), BACKWARD),
        (grad("c", grads["output_bias"]), BACKWARD),
    ], width=NODE_WIDTH)
    node(ax, *LOSS, [(value("t", data["target"]), FORWARD),
                     (value("L", data["loss"]), FORWARD)], width=0.10)
    key(ax, 0.01, 0.08, _("Blue: forward pass (values)"),
        _("Orange: backward pass (gradients of the loss L = ½ (y − t)²)"))
    ax.text(0.99, 0.06, _step_sentence(data, short=True), ha="right", va="center",
            fontsize=10, color=style.INK, fontfamily=style.FONT_FAMILY)
    style.label_axes(ax, title=_("One training step: 2 inputs, 2 sigmoid hidden units, 1 linear "
                                 "output"))
    return figure, _describe(series)


def _step_sentence(data, *, short: bool = False) -> str:
    values = {"rate": number(data["params"]["learning_rate"], DIGITS),
              "before": "?" if data["loss"] is None else number(data["loss"], DIGITS),
              "after": "?" if data["loss_after"] is None else number(data["loss_after"], DIGITS)}
    if short:
        return _("One step with η = %(rate)s: L goes from %(before)s to %(after)s") % values
    return _("After one gradient-descent step with learning rate %(rate)s, the loss goes "
             "from %(before)s to %(after)s.") % values


def _describe(series: Sequence[Series]) -> str:
    data = series[0].data
    grads = data["gradients"]
    named = [("∂L/∂c", grads["output_bias"])]
    named += [(f"∂L/∂v{j + 1}", g) for j, g in enumerate(grads["output_weights"])]
    named += [(f"∂L/∂b{j + 1}", g) for j, g in enumerate(grads["hidden_biases"])]
    named += [(f"∂L/∂w{i + 1}{j + 1}", g) for i, row in enumerate(grads["hidden_weights"])
              for j, g in enumerate(row)]
    largest = max(named, key=lambda pair: abs(pair[1] or 0.0))
    sentences = [
        _("A network with two inputs, two sigmoid hidden units and one linear output, drawn "
          "as a graph with the value of every node and weight (forward pass) and the gradient "
          "of the loss with respect to each (backward pass)."),
        _("Input (%(x1)s, %(x2)s), target %(target)s: the output is %(output)s and the loss "
          "%(loss)s.") % {
            "x1": number(data["inputs"][0], DIGITS), "x2": number(data["inputs"][1], DIGITS),
            "target": number(data["target"], DIGITS), "output": number(data["output"], DIGITS),
            "loss": number(data["loss"], DIGITS)},
        _("The backward pass starts from ∂L/∂y = %(output_grad)s; the largest gradient of a "
          "weight or bias is %(name)s = %(value)s.") % {
            "output_grad": number(data["output_grad"], DIGITS), "name": largest[0],
            "value": number(largest[1], DIGITS)},
        _step_sentence(data),
    ]
    return join(sentences)
