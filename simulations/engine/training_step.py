"""One training step of a 2-2-1 network, every number of it: forward, loss, backward, update.

The network is small enough to draw with a number on every node and edge:

    z_j = x_1 W_1j + x_2 W_2j + b_j          j = 1, 2 (hidden pre-activations)
    h_j = sigmoid(z_j)
    y   = h_1 v_1 + h_2 v_2 + c              linear output
    L   = 1/2 (y - t)^2                      one example, half the squared error

W is (fan_in, fan_out) as everywhere in the engine: W[i, j] connects input i to hidden
unit j. The backward pass is the chain rule from L down:

    dL/dy = y - t,  dL/dc = dL/dy,  dL/dv_j = dL/dy h_j,  dL/dh_j = dL/dy v_j,
    dL/dz_j = dL/dh_j h_j (1 - h_j),  dL/dW_ij = x_i dL/dz_j,  dL/db_j = dL/dz_j,
    dL/dx_i = sum_j W_ij dL/dz_j.

Then one step of gradient descent, p <- p - learning_rate * dL/dp for every weight and
bias, and the loss of the same example after it. The weights and biases are drawn from
the seed, N(0, 1) rounded to one decimal (so that a learner can redo the computation by
hand from the figure); the input, target and learning rate are parameters.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from .core import Simulation, finite_or_none, param, result_header

SLUG = "training_step"
WEIGHT_DECIMALS = 1


@dataclasses.dataclass(frozen=True)
class TrainingStepParams:
    """The example the network sees and the size of the step."""

    x1: float = param(1.0, doc="First input x_1.", minimum=-3.0, maximum=3.0)
    x2: float = param(-0.5, doc="Second input x_2.", minimum=-3.0, maximum=3.0)
    target: float = param(1.0, doc="Target t of the output.", minimum=-3.0, maximum=3.0)
    learning_rate: float = param(
        0.5, doc="Step size of the gradient-descent update.", minimum=1e-3, maximum=10.0,
        log_scale=True,
    )


@dataclasses.dataclass(frozen=True)
class Parameters:
    """The network's weights and biases."""

    hidden_weights: np.ndarray  # (2, 2): [input i, hidden unit j]
    hidden_biases: np.ndarray  # (2,)
    output_weights: np.ndarray  # (2,)
    output_bias: float

    def flat(self) -> np.ndarray:
        """Return every parameter in one vector: W (row-major), b, v, c."""
        return np.concatenate([self.hidden_weights.ravel(), self.hidden_biases,
                               self.output_weights, [self.output_bias]])

    def stepped(self, grads: Parameters, learning_rate: float) -> Parameters:
        """Return p - learning_rate * dL/dp for every parameter."""
        return Parameters(
            self.hidden_weights - learning_rate * grads.hidden_weights,
            self.hidden_biases - learning_rate * grads.hidden_biases,
            self.output_weights - learning_rate * grads.output_weights,
            self.output_bias - learning_rate * grads.output_bias,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "hidden_weights": [finite_or_none(row) for row in self.hidden_weights],
            "hidden_biases": finite_or_none(self.hidden_biases),
            "output_weights": finite_or_none(self.output_weights),
            "output_bias": finite_or_none([self.output_bias])[0],
        }


@dataclasses.dataclass(frozen=True)
class Forward:
    """Every value of the forward pass."""

    pre_activations: np.ndarray  # z, (2,)
    hidden: np.ndarray  # h = sigmoid(z), (2,)
    output: float  # y
    loss: float  # L


@dataclasses.dataclass(frozen=True)
class TrainingStepResult:
    """The forward pass, every gradient, the update and the loss after it."""

    params: TrainingStepParams
    seed: int
    inputs: np.ndarray  # (2,)
    before: Parameters
    forward: Forward
    grads: Parameters
    output_grad: float  # dL/dy
    hidden_grads: np.ndarray  # dL/dh, (2,)
    pre_activation_grads: np.ndarray  # dL/dz, (2,)
    input_grads: np.ndarray  # dL/dx, (2,)
    after: Parameters
    loss_after: float

    @property
    def loss_change(self) -> float:
        return self.loss_after - self.forward.loss

    @property
    def first_order_change(self) -> float:
        """Return -learning_rate * ||g||^2, the change a linear model of L predicts."""
        return -self.params.learning_rate * float(np.sum(self.grads.flat() ** 2))

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON types only; inf and NaN become None."""
        grads = self.grads
        return {
            **result_header(SLUG, self.params, self.seed),
            "inputs": finite_or_none(self.inputs),
            "target": self.params.target,
            "weights": self.before.to_dict(),
            "pre_activations": finite_or_none(self.forward.pre_activations),
            "hidden": finite_or_none(self.forward.hidden),
            "output": finite_or_none([self.forward.output])[0],
            "loss": finite_or_none([self.forward.loss])[0],
            "output_grad": finite_or_none([self.output_grad])[0],
            "hidden_grads": finite_or_none(self.hidden_grads),
            "pre_activation_grads": finite_or_none(self.pre_activation_grads),
            "input_grads": finite_or_none(self.input_grads),
            "gradients": grads.to_dict(),
            # Named entries, so that a question's formula reads like the lesson's symbols.
            "grad_w11": float(grads.hidden_weights[0, 0]),
            "grad_w12": float(grads.hidden_weights[0, 1]),
            "grad_w21": float(grads.hidden_weights[1, 0]),
            "grad_w22": float(grads.hidden_weights[1, 1]),
            "grad_b1": float(grads.hidden_biases[0]),
            "grad_b2": float(grads.hidden_biases[1]),
            "grad_v1": float(grads.output_weights[0]),
            "grad_v2": float(grads.output_weights[1]),
            "grad_c": float(grads.output_bias),
            "gradient_norm": float(np.linalg.norm(grads.flat())),
            "weights_after": self.after.to_dict(),
            "loss_after": finite_or_none([self.loss_after])[0],
            "loss_change": finite_or_none([self.loss_change])[0],
            "first_order_change": finite_or_none([self.first_order_change])[0],
        }


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def run_forward(parameters: Parameters, inputs: np.ndarray, target: float) -> Forward:
    """Return z, h, y and L for one example."""
    z = inputs @ parameters.hidden_weights + parameters.hidden_biases  # (2,)
    h = sigmoid(z)
    y = float(h @ parameters.output_weights + parameters.output_bias)
    return Forward(z, h, y, 0.5 * (y - target) ** 2)


def draw_parameters(seed: int) -> Parameters:
    """Draw every weight and bias from N(0, 1), rounded to one decimal."""
    rng = np.random.default_rng(seed)
    values = np.round(rng.standard_normal(9), WEIGHT_DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0
    return Parameters(values[:4].reshape(2, 2), values[4:6], values[6:8], float(values[8]))


def run(params: TrainingStepParams, seed: int) -> TrainingStepResult:
    """Draw the network from ``seed``, run one forward and backward pass, and step once."""
    before = draw_parameters(seed)
    inputs = np.array([params.x1, params.x2])
    passed = run_forward(before, inputs, params.target)
    h = passed.hidden
    output_grad = passed.output - params.target  # dL/dy
    hidden_grads = output_grad * before.output_weights  # dL/dh_j = dL/dy v_j
    pre_grads = hidden_grads * h * (1.0 - h)  # dL/dz_j = dL/dh_j sigmoid'(z_j)
    grads = Parameters(
        np.outer(inputs, pre_grads),  # dL/dW_ij = x_i dL/dz_j
        pre_grads.copy(),
        output_grad * h,
        output_grad,
    )
    input_grads = before.hidden_weights @ pre_grads  # dL/dx_i = sum_j W_ij dL/dz_j
    after = before.stepped(grads, params.learning_rate)
    with np.errstate(over="ignore"):
        loss_after = run_forward(after, inputs, params.target).loss
    return TrainingStepResult(
        params, seed, inputs, before, passed, grads, output_grad, hidden_grads, pre_grads,
        input_grads, after, loss_after,
    )


SIMULATION = Simulation(
    slug=SLUG,
    title="One training step of a tiny network",
    params_cls=TrainingStepParams,
    run=run,
)
