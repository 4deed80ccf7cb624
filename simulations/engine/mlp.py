"""Gradient flow through a deep multilayer perceptron: where gradients vanish or explode.

The network (equations, loss and batch norm in :mod:`.network`) has ``depth`` = L
hidden layers of ``width`` units, input size ``width`` and one linear output unit; the
loss is L = 1/(2B) sum_b (y_b - t_b)^2. Inputs and targets are independent standard
normals drawn from the seed.

Reported per hidden layer l = 1 .. L:

- ``weight_grad_norms``: ||dL/dW_l||_F (Frobenius);
- ``hidden_grad_norms``: sqrt(mean_b ||dl_b/dh_l^b||^2) = sqrt(B) * ||dL/dh_l||_F, the
  root mean square of each example's gradient of its own loss with respect to the
  layer's output, so it does not shrink with the batch (as in the recurrent simulation);
- ``activation_means`` / ``activation_stds``: over all (example, unit) entries of h_l;
- ``saturated_fractions`` (sigmoid, tanh): share of entries with f'(u) below
  SATURATION_SLOPE_RATIO (1.99%) of f's maximum slope, i.e. |tanh| > 0.99;
- ``dead_fractions`` (relu, leaky relu): share of units whose pre-activation is <= 0 for
  every example of the batch (ReLU: output 0, no gradient to their weights from this
  batch; leaky ReLU: only the 1% leak).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from . import initializers
from .activations import ACTIVATIONS, NAMES
from .core import (
    FieldError,
    Simulation,
    finite_or_none,
    param,
    result_header,
    too_costly,
)
from .network import (
    backpropagate,
    build_network,
    forward,
    frobenius_norm,
    measure_loss,
    walk_back,
)

__all__ = ["SIMULATION", "MLPParams", "MLPResult", "backpropagate", "draw_problem", "run"]

SLUG = "mlp_gradient_flow"
OUTPUTS = 1
# depth * width^2 * (batch_size + DRAW_COST) bounds the cost (about 0.25 s on one core at
# the bound): a forward and backward pass is about 3 multiply-adds per weight and example,
# and drawing one normal weight costs about as much as DRAW_COST of them.
DRAW_COST = 64
MAX_COST = 2**30


@dataclasses.dataclass(frozen=True)
class MLPParams:
    """The network, its initialization and the batch it sees."""

    depth: int = param(10, doc="Number of hidden layers L.", minimum=1, maximum=60)
    width: int = param(64, doc="Units per hidden layer (and input size).", minimum=2, maximum=512)
    activation: str = param("sigmoid", doc="Activation of the hidden layers.", choices=NAMES)
    init: str = param("normal", doc="Weight initialization scheme.", choices=initializers.SCHEMES)
    init_std: float = param(
        0.1,
        doc="Standard deviation of every weight when init is 'normal' (ignored otherwise).",
        minimum=1e-3,
        maximum=10.0,
        log_scale=True,
    )
    batch_norm: bool = param(False, doc="Batch-normalize every hidden layer (training mode).")
    batch_size: int = param(64, doc="Number of examples B in the batch.", minimum=1, maximum=512)

    def check(self) -> dict[str, FieldError]:
        """Refuse batch norm on one example and sizes whose run would be too slow."""
        if self.batch_norm and self.batch_size < 2:
            return {"batch_size": FieldError("batch_norm_needs_two")}
        cost = self.depth * self.width**2 * (self.batch_size + DRAW_COST)
        if cost > MAX_COST:
            formula = f"depth × width² × (batch_size + {DRAW_COST})"
            return {"width": too_costly(formula, cost, MAX_COST)}
        return {}


def draw_problem(params: MLPParams, seed: int):
    """Return (weights, biases, inputs, targets) drawn from ``seed``.

    Weights and data come from independent streams, so changing the batch size leaves
    the weights unchanged. Inputs and targets are independent standard normals.
    """
    weight_rng, data_rng = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2))
    sizes = [params.width] * (params.depth + 1) + [OUTPUTS]
    weights, biases = build_network(
        weight_rng,
        sizes,
        init=params.init,
        init_std=params.init_std,
        batch_norm=params.batch_norm,
    )
    inputs = data_rng.standard_normal((params.batch_size, params.width))  # (batch, width)
    targets = data_rng.standard_normal((params.batch_size, OUTPUTS))  # (batch, outputs)
    return weights, biases, inputs, targets


@dataclasses.dataclass(frozen=True)
class MLPResult:
    """Per-hidden-layer gradient norms and activation statistics (layers 1 .. L)."""

    params: MLPParams
    seed: int
    loss: float
    weight_grad_norms: np.ndarray  # (L,)
    output_weight_grad_norm: float
    hidden_grad_norms: np.ndarray  # (L,)
    input_grad_norm: float  # same definition for h_0 = x
    activation_means: np.ndarray  # (L,)
    activation_stds: np.ndarray  # (L,)
    saturated_fractions: np.ndarray | None  # (L,), sigmoid and tanh
    dead_fractions: np.ndarray | None  # (L,), relu and leaky relu

    @property
    def grad_ratio_first_to_last(self) -> float:
        """Return ||dL/dW_1||_F / ||dL/dW_L||_F: below 1 vanishing, above 1 exploding."""
        with np.errstate(all="ignore"):
            return float(np.float64(self.weight_grad_norms[0]) / self.weight_grad_norms[-1])

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON types only; inf and NaN become None."""

        def optional(values):
            return None if values is None else finite_or_none(values)

        return {
            **result_header(SLUG, self.params, self.seed),
            "layers": list(range(1, self.params.depth + 1)),
            "loss": finite_or_none([self.loss])[0],
            "weight_grad_norms": finite_or_none(self.weight_grad_norms),
            "output_weight_grad_norm": finite_or_none([self.output_weight_grad_norm])[0],
            "hidden_grad_norms": finite_or_none(self.hidden_grad_norms),
            "input_grad_norm": finite_or_none([self.input_grad_norm])[0],
            "grad_ratio_first_to_last": finite_or_none([self.grad_ratio_first_to_last])[0],
            "activation_means": finite_or_none(self.activation_means),
            "activation_stds": finite_or_none(self.activation_stds),
            "saturated_fractions": optional(self.saturated_fractions),
            "dead_fractions": optional(self.dead_fractions),
        }


def rms_example_norm(grad: np.ndarray) -> float:
    """Return sqrt(mean_b ||B g_b||^2) = sqrt(B) ||g||_F for a batch-loss gradient g."""
    return float(np.sqrt(grad.shape[0]) * frobenius_norm(grad))


def run(params: MLPParams, seed: int) -> MLPResult:
    """Draw a network and a batch from ``seed``, backpropagate once, report per layer.

    Keeps only the norms of each layer's gradients, so their memory is reused layer
    after layer instead of holding every dL/dW at once.
    """
    weights, biases, inputs, targets = draw_problem(params, seed)
    f = ACTIVATIONS[params.activation]
    weight_norms = np.empty(params.depth + 1)  # layers 1 .. L + 1
    hidden_norms = np.empty(params.depth + 1)  # h_0 .. h_L
    with np.errstate(all="ignore"):  # huge inits may overflow: reported as None, not raised
        passed = forward(
            weights, biases, inputs, activation=params.activation, batch_norm=params.batch_norm
        )
        for k, _, weight_grad, hidden_grad in walk_back(
            passed, weights, targets, activation=params.activation
        ):
            weight_norms[k] = frobenius_norm(weight_grad)
            hidden_norms[k] = rms_example_norm(hidden_grad)
        hidden = passed.activations[1:]  # h_1 .. h_L
        saturated = dead = None
        if f.saturates:
            saturated = np.array([f.saturated(h).mean() for h in hidden])
        else:  # output <= 0 exactly when the pre-activation is <= 0
            dead = np.array([np.all(h <= 0.0, axis=0).mean() for h in hidden])
        return MLPResult(
            params=params,
            seed=seed,
            loss=measure_loss(passed.outputs, targets),
            weight_grad_norms=weight_norms[:-1],
            output_weight_grad_norm=float(weight_norms[-1]),
            hidden_grad_norms=hidden_norms[1:],
            input_grad_norm=float(hidden_norms[0]),
            activation_means=np.array([h.mean() for h in hidden]),
            activation_stds=np.array([h.std() for h in hidden]),
            saturated_fractions=saturated,
            dead_fractions=dead,
        )


SIMULATION = Simulation(
    slug=SLUG,
    title="Gradient flow in a deep MLP",
    params_cls=MLPParams,
    run=run,
)
