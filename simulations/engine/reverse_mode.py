"""Reverse-mode differentiation on a small expression graph, and what a backward pass costs.

**The graph** is the worked example of Baydin et al. (2018),

    f(x_1, x_2) = ln(x_1) + x_1 x_2 - sin(x_2)

as a list of elementary operations (the evaluation trace; names as Baydin et al.):

    v_-1 = x_1,  v_0 = x_2,  v_1 = ln v_-1,  v_2 = v_-1 v_0,  v_3 = sin v_0,
    v_4 = v_1 + v_2,  v_5 = v_4 - v_3 = f.

Each edge carries the local derivative of its head with respect to its tail. Reverse
mode sweeps the trace backwards once, from the adjoint of the output (df/dv_5 = 1):
the adjoint of a node is the sum, over its outgoing edges, of the head's adjoint times
the edge's local derivative, and the adjoints of v_-1 and v_0 are the gradient. Forward
mode instead carries one tangent per input direction through the trace: one sweep for
each input. Both are computed here (the two must agree).

**The cost** is that of the engine's own MLP (:mod:`.network`) with the layer sizes of
``mlp_gradient_flow`` (input of size ``width``, ``depth`` hidden layers of ``width``
units, one linear output), on a batch of ``batch_size`` examples, counted in
floating-point operations of its matrix products (a product (m, k) @ (k, n) is
2 m k n operations). Per layer of shape (fan_in, fan_out):

    forward:   z = h @ W                               2 B fan_in fan_out
    backward:  dL/dW = h^T @ g                         2 B fan_in fan_out
               dL/dh = g @ W^T  (not in layer 1)       2 B fan_in fan_out

The first layer's dL/dh would be the gradient with respect to the data, which training
does not need (nothing updates the data; PyTorch skips it when the input does not
require a gradient), so its backward pass costs the same as its forward pass and every
other layer's costs twice. ``input_gradient_flops`` is that skipped product, which
:func:`.network.backward` does compute.

The element-wise work (biases, activations and their derivatives, the loss) is
O(B width) per layer against the products' O(B width^2), and is not counted. Forward
mode would need one pass per parameter to build the same gradient, each pass evaluating
the network again along with its tangent, so at least as costly as the forward pass:
``forward_mode_flops_lower_bound`` = parameters x forward flops.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from .core import Simulation, param, result_header

SLUG = "reverse_mode"

# (name, operation, inputs): the evaluation trace of f, in order.
TRACE = (
    ("v_-1", "x_1", ()),
    ("v_0", "x_2", ()),
    ("v_1", "ln", ("v_-1",)),
    ("v_2", "×", ("v_-1", "v_0")),
    ("v_3", "sin", ("v_0",)),
    ("v_4", "+", ("v_1", "v_2")),
    ("v_5", "−", ("v_4", "v_3")),
)
INPUTS = ("v_-1", "v_0")
OUTPUT = "v_5"


@dataclasses.dataclass(frozen=True)
class ReverseModeParams:
    """The point where the graph is differentiated, and the network whose cost is counted."""

    x1: float = param(2.0, doc="Input x_1 of f (positive: f takes its logarithm).",
                      minimum=0.1, maximum=10.0)
    x2: float = param(5.0, doc="Input x_2 of f.", minimum=-10.0, maximum=10.0)
    depth: int = param(4, doc="Number of hidden layers of the network whose cost is counted.",
                       minimum=1, maximum=60)
    width: int = param(64, doc="Units per hidden layer (and input size).", minimum=2,
                       maximum=512)
    batch_size: int = param(32, doc="Number of examples in the batch.", minimum=1, maximum=512)


def evaluate(x1: float, x2: float) -> dict[str, float]:
    """Return the value of every node of the trace."""
    values = {"v_-1": x1, "v_0": x2}
    values["v_1"] = math.log(values["v_-1"])
    values["v_2"] = values["v_-1"] * values["v_0"]
    values["v_3"] = math.sin(values["v_0"])
    values["v_4"] = values["v_1"] + values["v_2"]
    values["v_5"] = values["v_4"] - values["v_3"]
    return values


def local_derivatives(values: dict[str, float]) -> dict[tuple[str, str], float]:
    """Return d head / d tail for every edge (tail, head) of the graph."""
    return {
        ("v_-1", "v_1"): 1.0 / values["v_-1"],
        ("v_-1", "v_2"): values["v_0"],
        ("v_0", "v_2"): values["v_-1"],
        ("v_0", "v_3"): math.cos(values["v_0"]),
        ("v_1", "v_4"): 1.0,
        ("v_2", "v_4"): 1.0,
        ("v_4", "v_5"): 1.0,
        ("v_3", "v_5"): -1.0,
    }


def reverse_sweep(edges: dict[tuple[str, str], float]) -> dict[str, float]:
    """Return every node's adjoint df/dv, sweeping the trace from the output back."""
    adjoints = {name: 0.0 for name, _, _ in TRACE}
    adjoints[OUTPUT] = 1.0
    for name, _, _ in reversed(TRACE):
        for (tail, head), derivative in edges.items():
            if head == name:
                adjoints[tail] += adjoints[name] * derivative
    return adjoints


def forward_sweep(edges: dict[tuple[str, str], float], seed_input: str) -> dict[str, float]:
    """Return every node's tangent dv/dx for the input ``seed_input`` (one forward-mode pass)."""
    tangents = {name: 0.0 for name, _, _ in TRACE}
    tangents[seed_input] = 1.0
    for name, _, _ in TRACE:
        for (tail, head), derivative in edges.items():
            if head == name:
                tangents[name] += derivative * tangents[tail]
    return tangents


def layer_shapes(depth: int, width: int) -> list[tuple[int, int]]:
    """Return (fan_in, fan_out) of every weight matrix, the output layer last."""
    sizes = [width] * (depth + 1) + [1]
    return list(zip(sizes[:-1], sizes[1:], strict=True))


@dataclasses.dataclass(frozen=True)
class ReverseModeResult:
    """Values, local derivatives and adjoints of the graph; flops of the MLP's two passes."""

    params: ReverseModeParams
    seed: int
    values: dict[str, float]
    edges: dict[tuple[str, str], float]
    adjoints: dict[str, float]
    tangents: dict[str, dict[str, float]]  # one forward-mode pass per input

    @property
    def shapes(self) -> list[tuple[int, int]]:
        return layer_shapes(self.params.depth, self.params.width)

    @property
    def forward_flops(self) -> list[int]:
        batch = self.params.batch_size
        return [2 * batch * fan_in * fan_out for fan_in, fan_out in self.shapes]

    @property
    def backward_flops(self) -> list[int]:
        """The weight gradient in every layer, the gradient passed back in all but the first."""
        return [(1 if layer == 0 else 2) * forward
                for layer, forward in enumerate(self.forward_flops)]

    @property
    def input_gradient_flops(self) -> int:
        """The product g @ W^T of the first layer: dL/dx, which training does not need."""
        return self.forward_flops[0]

    @property
    def parameter_count(self) -> int:
        return sum(fan_in * fan_out + fan_out for fan_in, fan_out in self.shapes)

    def to_dict(self) -> dict[str, Any]:
        forward, backward = sum(self.forward_flops), sum(self.backward_flops)
        return {
            **result_header(SLUG, self.params, self.seed),
            "nodes": [
                {"name": name, "operation": operation, "inputs": list(inputs),
                 "value": self.values[name], "adjoint": self.adjoints[name]}
                for name, operation, inputs in TRACE
            ],
            "edges": [
                {"source": tail, "target": head, "local_derivative": derivative}
                for (tail, head), derivative in self.edges.items()
            ],
            "f": self.values[OUTPUT],
            "gradient": [self.adjoints[name] for name in INPUTS],
            "forward_mode_gradient": [self.tangents[name][OUTPUT] for name in INPUTS],
            "reverse_sweeps": 1,
            "forward_sweeps": len(INPUTS),
            "layers": list(range(1, len(self.shapes) + 1)),
            "layer_shapes": [list(shape) for shape in self.shapes],
            "forward_flops_per_layer": self.forward_flops,
            "backward_flops_per_layer": self.backward_flops,
            "forward_flops": forward,
            "backward_flops": backward,
            "input_gradient_flops": self.input_gradient_flops,
            "backward_to_forward_ratio": backward / forward,
            "gradient_to_forward_ratio": (forward + backward) / forward,
            "parameter_count": self.parameter_count,
            "forward_mode_flops_lower_bound": self.parameter_count * forward,
        }


def run(params: ReverseModeParams, seed: int) -> ReverseModeResult:
    """Differentiate f at (x1, x2) both ways and count the MLP's flops (the seed is unused)."""
    values = evaluate(params.x1, params.x2)
    edges = local_derivatives(values)
    adjoints = reverse_sweep(edges)
    tangents = {name: forward_sweep(edges, name) for name in INPUTS}
    return ReverseModeResult(params, seed, values, edges, adjoints, tangents)


SIMULATION = Simulation(
    slug=SLUG,
    title="Reverse-mode differentiation and the cost of a backward pass",
    params_cls=ReverseModeParams,
    run=run,
)
