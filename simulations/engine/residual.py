"""Gradient flow through a deep MLP with identity shortcuts (a residual network) or without.

Every hidden layer has ``width`` units, and so does the input, so that a shortcut can add
a layer's input to its output:

    h_0 = x                                        # (batch, width)
    z_l = h_{l-1} @ W_l + b_l                      # l = 1 .. L
    h_l = h_{l-1} + a * f(z_l)    (residual)       # a = 1, or 1/sqrt(L) (branch_scale)
    h_l = f(z_l)                  (plain)
    y   = h_L @ W_{L+1} + b_{L+1}                  # (batch, outputs = 1)
    L   = 1/(2B) sum_b ||y_b - t_b||^2

so dh_l/dh_{l-1} = I + a diag(f'(z_l)) W_l^T: the backward signal always has an identity
path. The plain network is exactly :mod:`.mlp`'s (same seed, same weights, same numbers).

Reported per hidden layer l = 1 .. L, as :mod:`.mlp` defines them:

- ``hidden_grad_norms``: sqrt(mean_b ||dl_b/dh_l^b||^2) = sqrt(B) ||dL/dh_l||_F, each
  example's gradient of its own loss with respect to the layer's output;
- ``weight_grad_norms``: ||dL/dW_l||_F;
- ``activation_stds``: the std of h_l over all (example, unit) entries; with shortcuts
  it is the std of the running sum, the forward signal the next block sees;
- ``branch_ratios``: ||a f(z_l)||_F / ||h_{l-1}||_F, how large the block's update is
  next to the signal it is added to (residual only; None for the plain network).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from .activations import NAMES, Activation
from .core import Cost, FieldError, Simulation, finite_or_none, param, result_header
from .initializers import MLP_SCHEMES
from .mlp_params import DRAW_COST, MAX_COST, OUTPUTS
from .network import build_network, frobenius_norm, measure_loss, resolve

SLUG = "residual_gradient_flow"
BRANCH_SCALES = ("one", "inverse_sqrt_depth")


@dataclasses.dataclass(frozen=True)
class ResidualParams:
    """The network, with or without shortcuts, its initialization and its batch."""

    depth: int = param(50, doc="Number of hidden layers (blocks) L.", minimum=1, maximum=60)
    width: int = param(64, doc="Units per hidden layer, and size of the input.",
                       minimum=2, maximum=512)
    activation: str = param("relu", doc="Activation of the hidden layers.", choices=NAMES)
    init: str = param("he_normal", doc="Weight initialization scheme.", choices=MLP_SCHEMES)
    init_std: float = param(0.1, doc="Standard deviation of every weight when init is "
                            "'normal' (ignored otherwise).", minimum=1e-3, maximum=10.0,
                            log_scale=True)
    residual: bool = param(True, doc="Add each layer's input to its output "
                           "(h_l = h_{l-1} + a f(z_l)); off: the plain MLP h_l = f(z_l).")
    branch_scale: str = param("one", doc="Factor a of every residual branch: 'one', or "
                              "'inverse_sqrt_depth' a = 1/sqrt(L) (ignored without "
                              "shortcuts).", choices=BRANCH_SCALES)
    batch_size: int = param(64, doc="Number of examples B in the batch.", minimum=1,
                            maximum=512)

    def check(self) -> dict[str, FieldError]:
        """Refuse sizes whose run would be too slow (the MLP simulation's bound)."""
        error = self.cost().error()
        return {"width": error} if error else {}

    def cost(self) -> Cost:
        """Return the multiply-adds of a run, about (as :class:`.mlp_params.MLPParams`)."""
        value = self.depth * self.width**2 * (self.batch_size + DRAW_COST)
        return Cost(f"depth × width² × (batch_size + {DRAW_COST})", value, MAX_COST, "width")

    @property
    def branch_factor(self) -> float:
        """Return a, the factor of every residual branch."""
        return 1.0 / math.sqrt(self.depth) if self.branch_scale == "inverse_sqrt_depth" else 1.0


@dataclasses.dataclass(frozen=True)
class ResidualGradients:
    """The loss and every gradient of one forward and backward pass, first layer first."""

    loss: float
    activations: list[np.ndarray]  # h_0 .. h_L, each (batch, width)
    weight_grads: list[np.ndarray]  # W_1 .. W_{L+1}
    bias_grads: list[np.ndarray]  # b_1 .. b_{L+1}
    hidden_grads: list[np.ndarray]  # dL/dh_0 .. dL/dh_L, each (batch, width)


def backpropagate(
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    inputs: np.ndarray,
    targets: np.ndarray,
    *,
    activation: str | Activation,
    residual: bool,
    branch_factor: float = 1.0,
) -> ResidualGradients:
    """Run the network forward on explicit numbers, then backward; return every gradient.

    Takes no seed so that tests can feed an independent implementation the same numbers.
    """
    f = resolve(activation)
    hs, branches = [inputs], []  # h_0 .. h_L; f(z_1) .. f(z_L)
    for weight, bias in zip(weights[:-1], biases[:-1], strict=True):
        branch = f.function(hs[-1] @ weight + bias)  # (batch, width)
        branches.append(branch)
        hs.append(hs[-1] + branch_factor * branch if residual else branch)
    outputs = hs[-1] @ weights[-1] + biases[-1]  # (batch, outputs)
    grad_z = (outputs - targets) / inputs.shape[0]  # dL/dy
    layers = len(weights)
    weight_grads: list[Any] = [None] * layers
    bias_grads: list[Any] = [None] * layers
    hidden_grads: list[Any] = [None] * layers
    # weights[k] maps h_k to layer k + 1; grad_z is dL/d(its pre-activation). The
    # shortcut passes dL/dh_{k+1} to h_k unchanged, and the branch adds its own term.
    for k in range(layers - 1, -1, -1):
        weight_grads[k] = hs[k].T @ grad_z  # (fan_in, fan_out)
        bias_grads[k] = grad_z.sum(axis=0)
        hidden_grads[k] = grad_z @ weights[k].T  # the branch's part of dL/dh_k
        if residual and k < layers - 1:
            hidden_grads[k] += hidden_grads[k + 1]  # the identity path
        if k > 0:
            grad_z = f.backward(branch_factor * hidden_grads[k] if residual
                                else hidden_grads[k], branches[k - 1])
    loss = measure_loss(outputs, targets)
    return ResidualGradients(loss, hs, weight_grads, bias_grads, hidden_grads)


@dataclasses.dataclass(frozen=True)
class ResidualResult:
    """Per-hidden-layer gradient norms and forward scale (layers 1 .. L)."""

    params: ResidualParams
    seed: int
    loss: float
    hidden_grad_norms: np.ndarray  # (L,)
    input_grad_norm: float  # the same for h_0 = x
    weight_grad_norms: np.ndarray  # (L,)
    activation_stds: np.ndarray  # (L,)
    branch_ratios: np.ndarray | None  # (L,), residual only

    @property
    def hidden_grad_ratio_first_to_last(self) -> float:
        """Return the gradient norm at layer 1 over that at layer L (below 1: vanishing)."""
        with np.errstate(all="ignore"):
            return float(np.float64(self.hidden_grad_norms[0]) / self.hidden_grad_norms[-1])

    @property
    def activation_std_ratio_last_to_first(self) -> float:
        """Return the activation std at layer L over that at layer 1 (above 1: growing)."""
        with np.errstate(all="ignore"):
            return float(np.float64(self.activation_stds[-1]) / self.activation_stds[0])

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON types only; inf and NaN become None."""
        ratios = self.branch_ratios
        return {
            **result_header(SLUG, self.params, self.seed),
            "layers": list(range(1, self.params.depth + 1)),
            "branch_factor": self.params.branch_factor if self.params.residual else None,
            "loss": finite_or_none([self.loss])[0],
            "hidden_grad_norms": finite_or_none(self.hidden_grad_norms),
            "input_grad_norm": finite_or_none([self.input_grad_norm])[0],
            "hidden_grad_ratio_first_to_last": finite_or_none(
                [self.hidden_grad_ratio_first_to_last])[0],
            "weight_grad_norms": finite_or_none(self.weight_grad_norms),
            "activation_stds": finite_or_none(self.activation_stds),
            "activation_std_ratio_last_to_first": finite_or_none(
                [self.activation_std_ratio_last_to_first])[0],
            "branch_ratios": None if ratios is None else finite_or_none(ratios),
        }


def draw_problem(params: ResidualParams, seed: int):
    """Return (weights, biases, inputs, targets) drawn from ``seed``, as :mod:`.mlp` draws.

    The same two streams (weights, then data) and the same sizes: with the same seed, the
    plain network and the residual one share every number but the shortcuts.
    """
    weight_rng, data_rng = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2))
    sizes = [params.width] * (params.depth + 1) + [OUTPUTS]
    weights, biases = build_network(weight_rng, sizes, init=params.init,
                                    init_std=params.init_std, batch_norm=False)
    inputs = data_rng.standard_normal((params.batch_size, params.width))
    targets = data_rng.standard_normal((params.batch_size, OUTPUTS))
    return weights, biases, inputs, targets


def run(params: ResidualParams, seed: int) -> ResidualResult:
    """Draw a network and a batch from ``seed``, backpropagate once, report per layer."""
    weights, biases, inputs, targets = draw_problem(params, seed)
    with np.errstate(all="ignore"):  # a deep ReLU stack may overflow: reported as None
        passed = backpropagate(weights, biases, inputs, targets, activation=params.activation,
                               residual=params.residual, branch_factor=params.branch_factor)
        root_batch = math.sqrt(params.batch_size)  # per-example RMS of a batch-mean loss
        hidden = np.array([root_batch * frobenius_norm(g) for g in passed.hidden_grads])
        hs = passed.activations
        ratios = None
        if params.residual:
            ratios = np.array([frobenius_norm(after - before) / frobenius_norm(before)
                               for before, after in zip(hs[:-1], hs[1:], strict=True)])
        return ResidualResult(
            params=params,
            seed=seed,
            loss=passed.loss,
            hidden_grad_norms=hidden[1:],
            input_grad_norm=float(hidden[0]),
            weight_grad_norms=np.array([frobenius_norm(g) for g in passed.weight_grads[:-1]]),
            activation_stds=np.array([h.std() for h in hs[1:]]),
            branch_ratios=ratios,
        )


SIMULATION = Simulation(
    slug=SLUG,
    title="Gradient flow with and without residual connections",
    params_cls=ResidualParams,
    run=run,
)
