"""Backpropagation in matrix form: the error delta of every layer of a small MLP, for a batch.

The network and loss are the engine's (:mod:`.network`), in its batch-major layout:
one row per example, W_l of shape (n_{l-1}, n_l), a linear output layer and
L = 1/(2B) sum_b ||y_b - t_b||^2. With Delta_l = dL/dZ_l (batch, n_l), the
gradient of the batch loss at the pre-activations of layer l, the four equations read

    Delta_{L+1} = dL/dY = (Y - T) / B              (the output is linear: f' = 1)
    Delta_l     = (Delta_{l+1} @ W_{l+1}^T) * f'(Z_l)
    dL/db_l     = sum over the batch of Delta_l     (n_l,)
    dL/dW_l     = H_{l-1}^T @ Delta_l               (n_{l-1}, n_l): a sum over the batch

Row b of Delta_l is Nielsen's column vector delta^l of example b, transposed and
divided by B (his cost C_x is one example's; ours is the batch mean), and his
W^l (n_l, n_{l-1}) is our W_l transposed. The network is small enough to draw every
entry: the lab shows H_l and Delta_l as heat-maps, and a learner can recompute any
entry of Delta_l or of dL/dW_l from the numbers shown.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from . import initializers
from .activations import ACTIVATIONS, NAMES
from .core import Simulation, finite_or_none, param, result_header
from .mlp_params import init_std_param
from .network import build_network, forward, measure_loss, walk_back

SLUG = "backprop_matrix"


@dataclasses.dataclass(frozen=True)
class BackpropMatrixParams:
    """A network small enough to show every number: sizes, activation, initialization."""

    input_size: int = param(3, doc="Input size n_0.", minimum=1, maximum=4)
    depth: int = param(2, doc="Number of hidden layers.", minimum=1, maximum=2)
    width: int = param(4, doc="Units per hidden layer.", minimum=1, maximum=5)
    outputs: int = param(2, doc="Number of linear output units.", minimum=1, maximum=3)
    batch_size: int = param(3, doc="Number of examples B.", minimum=1, maximum=5)
    activation: str = param("sigmoid", doc="Activation of the hidden layers.", choices=NAMES)
    init: str = param(
        "glorot_normal", doc="Weight initialization scheme.", choices=initializers.SCHEMES
    )
    init_std: float = init_std_param(1.0)

    @property
    def sizes(self) -> list[int]:
        """Return [n_0, n_1, .., n_L, outputs]."""
        return [self.input_size] + [self.width] * self.depth + [self.outputs]


def as_lists(arrays: list[np.ndarray]) -> list[Any]:
    """Return each array as nested lists of floats (inf and NaN as None)."""
    return [
        [finite_or_none(row) for row in array] if array.ndim == 2
        else finite_or_none(array)
        for array in arrays
    ]


@dataclasses.dataclass(frozen=True)
class BackpropMatrixResult:
    """Every matrix of one forward and backward pass; lists indexed by layer l = 1 .. L + 1."""

    params: BackpropMatrixParams
    seed: int
    inputs: np.ndarray  # (batch, n_0)
    targets: np.ndarray  # (batch, outputs)
    weights: list[np.ndarray]  # W_l, (n_{l-1}, n_l)
    biases: list[np.ndarray]  # b_l, (n_l,)
    preactivations: list[np.ndarray]  # Z_l, (batch, n_l); the last is the output Y
    activations: list[np.ndarray]  # H_l = f(Z_l), (batch, n_l); the last is Y (linear)
    deltas: list[np.ndarray]  # Delta_l = dL/dZ_l, (batch, n_l)
    weight_grads: list[np.ndarray]  # dL/dW_l, (n_{l-1}, n_l)
    bias_grads: list[np.ndarray]  # dL/db_l, (n_l,)
    loss: float

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON types only; matrices as lists of rows."""
        return {
            **result_header(SLUG, self.params, self.seed),
            "sizes": self.params.sizes,
            "layers": list(range(1, len(self.weights) + 1)),
            "loss": finite_or_none([self.loss])[0],
            "inputs": as_lists([self.inputs])[0],
            "targets": as_lists([self.targets])[0],
            "weights": as_lists(self.weights),
            "biases": as_lists(self.biases),
            "preactivations": as_lists(self.preactivations),
            "activations": as_lists(self.activations),
            "deltas": as_lists(self.deltas),
            "weight_grads": as_lists(self.weight_grads),
            "bias_grads": as_lists(self.bias_grads),
            "delta_shapes": [list(delta.shape) for delta in self.deltas],
            "weight_grad_shapes": [list(grad.shape) for grad in self.weight_grads],
            "delta_norms": finite_or_none([np.linalg.norm(delta) for delta in self.deltas]),
        }


def run(params: BackpropMatrixParams, seed: int) -> BackpropMatrixResult:
    """Draw a network, a batch and targets from ``seed``; run forward and backward once.

    Biases are drawn from N(0, 0.1^2) (rather than left at zero) so that every equation,
    dL/db included, is exercised at a generic point; inputs and targets are standard
    normal. One stream, in the order weights, biases, inputs, targets.
    """
    rng = np.random.default_rng(seed)
    weights, _ = build_network(rng, params.sizes, init=params.init, init_std=params.init_std,
                               batch_norm=False)
    biases = [0.1 * rng.standard_normal(size) for size in params.sizes[1:]]
    inputs = rng.standard_normal((params.batch_size, params.input_size))  # (batch, n_0)
    targets = rng.standard_normal((params.batch_size, params.outputs))  # (batch, outputs)
    activation = ACTIVATIONS[params.activation]
    with np.errstate(all="ignore"):
        passed = forward(weights, biases, inputs, activation=activation)
        # forward() keeps H_l but not Z_l (f overwrites it); Z_l = H_{l-1} W_l + b_l again.
        preactivations = [h @ w + b for h, w, b in
                          zip(passed.activations, weights, biases, strict=True)]
        count = len(weights)
        deltas: list[Any] = [None] * count
        weight_grads: list[Any] = [None] * count
        for k, grad_z, weight_grad, _ in walk_back(passed, weights, targets,
                                                   activation=activation):
            deltas[k], weight_grads[k] = grad_z, weight_grad
        loss = measure_loss(passed.outputs, targets)
    return BackpropMatrixResult(
        params, seed, inputs, targets, weights, biases, preactivations,
        [*passed.activations[1:], passed.outputs], deltas, weight_grads,
        [delta.sum(axis=0) for delta in deltas], loss,
    )


SIMULATION = Simulation(
    slug=SLUG,
    title="Backpropagation in matrix form: the delta of every layer",
    params_cls=BackpropMatrixParams,
    run=run,
)
