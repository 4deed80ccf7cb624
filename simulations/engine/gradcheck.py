"""Gradient check: backpropagation against central finite differences on a small MLP.

For every scalar parameter p the numerical gradient is the central difference

    g_num = (L(p + epsilon) - L(p - epsilon)) / (2 epsilon),

whose error is O(epsilon^2) from truncation plus O(u L / epsilon) from rounding
(u = 2^-53): too large an epsilon and too small both fail, which the lab can show.
Each parameter tensor (W_l, b_l) gets one relative error, over all its entries,

    relative_error = ||g_backprop - g_num||_2 / max(||g_backprop||_2, ||g_num||_2)

(0 when both are zero), a norm-wise ratio that stays meaningful for entries whose
gradient is exactly zero (dead ReLU units). The check passes when every tensor's error
is below TOLERANCE = 1e-6. The network and loss are those of :mod:`.network`; a ReLU
kink within epsilon of a pre-activation can make a correct backprop fail, a real
limit of finite differences.

Every run also sweeps the step over a grid, along one random direction of the
parameters (:mod:`.gradcheck_sweep`): the measured error against ε draws the V that
truncation (falling as ε²) and rounding (rising as 1/ε) make, and the closed-form model
of both is given beside it. It does not depend on the ``epsilon`` parameter.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import initializers
from .activations import NAMES
from .core import (
    FieldError,
    Simulation,
    finite_or_none,
    param,
    result_header,
)
from .gradcheck_sweep import EpsilonSweep, random_direction, sweep_epsilon
from .mlp_params import init_std_param
from .network import backpropagate, build_network, forward, measure_loss

SLUG = "gradient_check"
TOLERANCE = 1e-6


@dataclasses.dataclass(frozen=True)
class GradcheckParams:
    """A network small enough to perturb every parameter one at a time."""

    activation: str = param("tanh", doc="Activation of the hidden layers.", choices=NAMES)
    depth: int = param(2, doc="Number of hidden layers.", minimum=1, maximum=4)
    width: int = param(4, doc="Units per hidden layer (and input size).", minimum=2, maximum=8)
    batch_size: int = param(8, doc="Number of examples in the batch.", minimum=1, maximum=16)
    init: str = param(
        "glorot_normal", doc="Weight initialization scheme.", choices=initializers.SCHEMES
    )
    init_std: float = init_std_param(1.0)
    batch_norm: bool = param(False, doc="Batch-normalize every hidden layer (training mode).")
    epsilon: float = param(
        1e-5, doc="Finite-difference step.", minimum=1e-10, maximum=1e-1, log_scale=True
    )

    def check(self) -> dict[str, FieldError]:
        """Refuse batch norm on a single example (its variance would be zero)."""
        if self.batch_norm and self.batch_size < 2:
            return {"batch_size": FieldError("batch_norm_needs_two")}
        return {}


@dataclasses.dataclass(frozen=True)
class ParameterCheck:
    """Backprop and numerical gradients of one parameter tensor, and their disagreement."""

    name: str  # "W1", "b1", .., "W{L+1}", "b{L+1}" (the last pair is the output layer)
    backprop: np.ndarray
    numerical: np.ndarray

    @property
    def relative_error(self) -> float:
        return relative_error(self.backprop, self.numerical)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "shape": list(self.backprop.shape),
            "relative_error": finite_or_none([self.relative_error])[0],
            "backprop": finite_or_none(self.backprop.ravel()),
            "numerical": finite_or_none(self.numerical.ravel()),
        }


@dataclasses.dataclass(frozen=True)
class GradcheckResult:
    """Per-tensor comparisons and the verdict."""

    params: GradcheckParams
    seed: int
    loss: float
    checks: list[ParameterCheck]
    sweep: EpsilonSweep

    @property
    def max_relative_error(self) -> float:
        return max(check.relative_error for check in self.checks)

    @property
    def passed(self) -> bool:
        return self.max_relative_error < TOLERANCE

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON types only; inf and NaN become None."""
        return {
            **result_header(SLUG, self.params, self.seed),
            "loss": finite_or_none([self.loss])[0],
            "parameters": [check.to_dict() for check in self.checks],
            "max_relative_error": finite_or_none([self.max_relative_error])[0],
            "tolerance": TOLERANCE,
            "passed": self.passed,
            "sweep": self.sweep.to_dict(),
        }


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """Return ||a - b|| / max(||a||, ||b||), 0 when both are zero."""
    scale = max(float(np.linalg.norm(a)), float(np.linalg.norm(b)))
    return float(np.linalg.norm(a - b)) / scale if scale > 0 else 0.0


def numerical_gradient(
    loss: Callable[[], float], parameter: np.ndarray, epsilon: float
) -> np.ndarray:
    """Return the central difference of ``loss()`` for every entry of ``parameter``.

    Perturbs ``parameter`` in place, one entry at a time, and restores it exactly.
    """
    grad = np.empty_like(parameter)
    for index in np.ndindex(parameter.shape):
        original = parameter[index]
        parameter[index] = original + epsilon
        loss_plus = loss()
        parameter[index] = original - epsilon
        loss_minus = loss()
        parameter[index] = original
        grad[index] = (loss_plus - loss_minus) / (2.0 * epsilon)
    return grad


def check_gradients(
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray | None],
    inputs: np.ndarray,
    targets: np.ndarray,
    *,
    activation: str,
    batch_norm: bool,
    epsilon: float,
) -> tuple[float, list[ParameterCheck]]:
    """Return the loss and, per parameter tensor, backprop next to finite differences."""

    def loss() -> float:
        passed = forward(weights, biases, inputs, activation=activation, batch_norm=batch_norm)
        return measure_loss(passed.outputs, targets)

    result = backpropagate(
        weights, biases, inputs, targets, activation=activation, batch_norm=batch_norm
    )
    checks = []
    for layer, (weight, bias) in enumerate(zip(weights, biases, strict=True), start=1):
        checks.append(
            ParameterCheck(
                f"W{layer}",
                result.weight_grads[layer - 1],
                numerical_gradient(loss, weight, epsilon),
            )
        )
        if bias is not None:
            checks.append(
                ParameterCheck(
                    f"b{layer}",
                    result.bias_grads[layer - 1],
                    numerical_gradient(loss, bias, epsilon),
                )
            )
    return result.loss, checks


def run(params: GradcheckParams, seed: int) -> GradcheckResult:
    """Draw a small network and batch from ``seed`` and check every parameter's gradient.

    Biases are drawn from N(0, 0.1^2) rather than left at zero, so their gradients are
    checked at a generic point; inputs and targets are standard normal. The sweep's
    direction is drawn last, so the network and batch do not depend on it.
    """
    rng = np.random.default_rng(seed)
    sizes = [params.width] * (params.depth + 1) + [1]
    weights, biases = build_network(
        rng, sizes, init=params.init, init_std=params.init_std, batch_norm=params.batch_norm
    )
    biases = [None if b is None else 0.1 * rng.standard_normal(b.shape) for b in biases]
    inputs = rng.standard_normal((params.batch_size, params.width))  # (batch, width)
    targets = rng.standard_normal((params.batch_size, 1))  # (batch, 1)
    with np.errstate(all="ignore"):
        loss, checks = check_gradients(
            weights,
            biases,
            inputs,
            targets,
            activation=params.activation,
            batch_norm=params.batch_norm,
            epsilon=params.epsilon,
        )
        sweep = _sweep(rng, weights, biases, inputs, targets, params)
    return GradcheckResult(params, seed, loss, checks, sweep)


def _sweep(rng: np.random.Generator, weights: list[np.ndarray], biases: list[np.ndarray | None],
           inputs: np.ndarray, targets: np.ndarray, params: GradcheckParams) -> EpsilonSweep:
    """Sweep the step along a random direction of every parameter (W_1, b_1, ...)."""
    parameters = [t for pair in zip(weights, biases, strict=True) for t in pair if t is not None]
    direction = random_direction(rng, [t.shape for t in parameters])
    options = {"activation": params.activation, "batch_norm": params.batch_norm}

    def loss() -> float:
        return measure_loss(forward(weights, biases, inputs, **options).outputs, targets)

    def directional_derivative() -> float:
        grads = backpropagate(weights, biases, inputs, targets, **options).parameter_grads
        return float(sum(np.sum(g * v) for g, v in zip(grads, direction, strict=True)))

    return sweep_epsilon(parameters, direction, loss, directional_derivative)


SIMULATION = Simulation(
    slug=SLUG,
    title="Gradient check: backpropagation against finite differences",
    params_cls=GradcheckParams,
    run=run,
)
