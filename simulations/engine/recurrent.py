"""Recurrent gradient flow: how far back dL/dh_t reaches in a tanh RNN, an LSTM, a GRU.

A one-layer recurrent network (see :mod:`.recurrent_cells` for the equations) reads T
random input vectors from a zero initial state; the loss looks only at the last state,
L = 1/(2B) sum_b ||h_T^b - y^b||^2. Backpropagation through time then gives the
gradient reaching every earlier state, and the simulation reports its norm per step.

The recurrent matrix of every gate is drawn from the seed and scaled so that its
spectral radius (largest |eigenvalue|) is exactly the requested one:

- ``orthogonal``: W = rho * Q with Q Haar-orthogonal. W is normal, so its largest
  singular value equals rho too, and Pascanu et al.'s (2013) condition on the singular
  value and the spectral radius coincide;
- ``gaussian``: W = rho * G / max|eig(G)| with G_ij ~ N(0, 1/H). W is not normal and
  its largest singular value is larger (about 2 rho for large H), which shows why the
  sufficient condition for vanishing is stated on the singular value.

(With ``init`` = pytorch_default every weight and bias is instead U(-1/sqrt(H), 1/sqrt(H)),
see :mod:`.recurrent_weights`.)

``loss`` = half_squared_error is the L above; ``probe`` is L = sum_b <g_b, h_T^b> with a
fixed g_b ~ N(0, I/H) drawn from the seed, so dl_b/dh_T^b = g_b has unit mean square
whatever B (see :mod:`.losses`).

Reported norms are batch-size free: for the per-example loss l_b (1/2 ||h_T^b - y^b||^2
or <g_b, h_T^b>), ``grad_h_norms[t] = sqrt(mean_b ||dl_b/dh_t^b||^2)``, the root mean
square over the batch of each example's gradient norm (= sqrt(B) * ||dL/dh_t||_F for
the batch mean, since dl_b/dh_t^b = B dL/dh_t^b; = ||dL/dh_t||_F / sqrt(B) for the
probe's sum). Likewise ``grad_c_norms`` for the LSTM's cell state.
``grad_h_batch_norms[t]`` = ||dL/dh_t||_F is the Frobenius norm over the batch of the
batch loss's gradient.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from . import losses
from .bptt import backpropagate_through_time
from .core import (
    Cost,
    FieldError,
    Simulation,
    finite_or_none,
    param,
    result_header,
)
from .recurrent_cells import CELLS, GATES
from .recurrent_weights import MATRIX_KINDS, RECURRENT_INITS, draw_weights, measure_matrices
from .recurrent_weights import draw_recurrent_matrix as draw_recurrent_matrix  # re-exported

SLUG = "recurrent_gradient_flow"
RECURRENT_LOSSES = ("half_squared_error", "probe")
LOSS_DEFINITIONS = {
    "half_squared_error": "L = 1/(2B) sum_b ||h_T^b - y^b||^2 (mean over the batch of half "
    "the squared error of the last state)",
    "probe": "L = sum_b <g_b, h_T^b>, g_b ~ N(0, I/H) fixed per example (dL/dh_T^b = g_b, "
    "summed over the batch)",
}
GRAD_NORM_DEFINITION = (
    "grad_h_norms[t] = sqrt(mean_b ||dl_b/dh_t^b||^2), the root mean square over the batch "
    "of each example's gradient of its own loss l_b; grad_h_batch_norms[t] = ||dL/dh_t||_F, "
    "the Frobenius norm over the batch of the batch loss's gradient"
)
SATURATION_THRESHOLD = 0.99  # |tanh| above this means tanh' = 1 - tanh^2 < 0.02
# steps * hidden_size^2 * batch_size * gates bounds a run (~0.2 s at the bound, one core).
MAX_COST = 200 * 128**2 * 32 * 4


@dataclasses.dataclass(frozen=True)
class RecurrentParams:
    """The network, its recurrent matrix and its inputs."""

    cell: str = param(
        "rnn",
        doc="Recurrent cell: vanilla tanh RNN, linear RNN, LSTM, GRU (torch's equations) or "
        "vanilla RNN with a sigmoid, h_t = sigmoid(a_t).",
        choices=CELLS,
    )
    steps: int = param(
        50, doc="Number of time steps T; the loss looks at step T.", minimum=2, maximum=200
    )
    hidden_size: int = param(32, doc="Number of hidden units H.", minimum=2, maximum=128)
    input_size: int = param(8, doc="Size of each input vector.", minimum=1, maximum=64)
    batch_size: int = param(16, doc="Number of input sequences B.", minimum=1, maximum=64)
    spectral_radius: float = param(
        0.9,
        doc="Largest |eigenvalue| of each gate's hidden-to-hidden matrix.",
        minimum=0.0,
        maximum=3.0,
    )
    recurrent_matrix: str = param(
        "orthogonal",
        doc="Draw of the hidden-to-hidden matrix before scaling: orthogonal (largest "
        "singular value = spectral radius) or Gaussian (singular value larger).",
        choices=MATRIX_KINDS,
    )
    input_scale: float = param(
        1.0,
        doc="Standard deviation of the input's contribution to each unit's pre-activation.",
        minimum=0.0,
        maximum=5.0,
    )
    forget_bias: float = param(
        1.0,
        doc="Bias of the LSTM forget gate (1 is the common choice; ignored by other cells); "
        "added to the drawn bias under pytorch_default.",
        minimum=-20.0,
        maximum=20.0,
    )
    init: str = param(
        "scaled",
        doc="Initialization: scaled (recurrent matrices at the spectral radius, input weights "
        "N(0, 1/input_size), zero biases) or pytorch_default (every weight and bias "
        "U(-1/sqrt(H), 1/sqrt(H)), as torch; spectral_radius and recurrent_matrix ignored).",
        choices=RECURRENT_INITS,
    )
    update_bias: float = param(
        0.0,
        doc="Added to the bias of the GRU update gate z (h_t = (1 - z) n_t + z h_{t-1}, so "
        "a large bias keeps the state; ignored by other cells).",
        minimum=-20.0,
        maximum=20.0,
    )
    loss: str = param(
        "half_squared_error",
        doc="Loss on the last state: half_squared_error L = 1/(2B) sum_b ||h_T^b - y^b||^2, or "
        "probe L = sum_b <g_b, h_T^b> with g_b ~ N(0, I/H), so dL/dh_T^b = g_b, not divided by B.",
        choices=RECURRENT_LOSSES,
    )

    def check(self) -> dict[str, FieldError]:
        """Refuse sizes whose product would make one run take about a second."""
        error = self.cost().error()
        return {"hidden_size": error} if error else {}

    def cost(self) -> Cost:
        """Return the multiply-adds of a run, about (see MAX_COST)."""
        value = self.steps * self.hidden_size**2 * self.batch_size * len(GATES[self.cell])
        return Cost("steps × hidden_size² × batch_size × gates", value, MAX_COST, "hidden_size")


@dataclasses.dataclass(frozen=True)
class RecurrentResult:
    """Per-step gradient norms and what explains them: the matrix and tanh saturation."""

    params: RecurrentParams
    seed: int
    loss: float
    gates: tuple[str, ...]
    gate_spectral_radii: np.ndarray  # (G,) measured on the matrices used
    gate_singular_values: np.ndarray  # (G,)
    grad_h_norms: np.ndarray  # (T+1,): t = 0 .. T
    grad_c_norms: np.ndarray | None  # (T+1,), lstm only
    saturated_fraction_per_step: np.ndarray | None  # (T,): t = 1 .. T; None without tanh
    grad_h_batch_norms: np.ndarray  # (T+1,): ||dL/dh_t||_F of the batch loss

    @property
    def spectral_radius(self) -> float:
        return float(self.gate_spectral_radii.max())

    @property
    def largest_singular_value(self) -> float:
        return float(self.gate_singular_values.max())

    @property
    def grad_ratio_first_to_last(self) -> float:
        """Return ||dL/dh_0|| / ||dL/dh_T||: below 1 vanishing, above 1 exploding."""
        with np.errstate(all="ignore"):
            return float(np.float64(self.grad_h_norms[0]) / self.grad_h_norms[-1])

    @property
    def saturated_fraction(self) -> float | None:
        if self.saturated_fraction_per_step is None:
            return None
        return float(self.saturated_fraction_per_step.mean())

    def singular_value_bound(self) -> np.ndarray | None:
        """Return (gamma sigma_max)^(T-t) * ||dL/dh_T|| per t, Pascanu's bound (ungated cells).

        With |f'| <= gamma (1 for tanh and the identity, 1/4 for the sigmoid), each step
        back multiplies a gradient row by diag(f') W_hh, whose norm is at most
        gamma sigma_max; gated cells have no such bound (None).
        """
        if self.params.cell not in ("rnn", "linear_rnn", "sigmoid_rnn"):
            return None
        gamma = 0.25 if self.params.cell == "sigmoid_rnn" else 1.0
        distance = np.arange(self.params.steps, -1, -1)  # T - t for t = 0 .. T
        with np.errstate(all="ignore"):
            return (gamma * self.largest_singular_value) ** distance * self.grad_h_norms[-1]

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON types only; inf and NaN become None."""
        bound = self.singular_value_bound()
        return {
            **result_header(SLUG, self.params, self.seed),
            "steps": list(range(self.params.steps + 1)),
            "loss": _finite_scalar(self.loss),
            "loss_convention": self.params.loss,
            "loss_definition": LOSS_DEFINITIONS[self.params.loss],
            "grad_norm_definition": GRAD_NORM_DEFINITION,
            "grad_h_norms": finite_or_none(self.grad_h_norms),
            "grad_h_batch_norms": finite_or_none(self.grad_h_batch_norms),
            "grad_c_norms": (
                None if self.grad_c_norms is None else finite_or_none(self.grad_c_norms)
            ),
            "grad_ratio_first_to_last": _finite_scalar(self.grad_ratio_first_to_last),
            "spectral_radius": _finite_scalar(self.spectral_radius),
            "largest_singular_value": _finite_scalar(self.largest_singular_value),
            "recurrent_matrices": [
                {
                    "gate": gate,
                    "spectral_radius": _finite_scalar(radius),
                    "largest_singular_value": _finite_scalar(sigma),
                }
                for gate, radius, sigma in zip(
                    self.gates, self.gate_spectral_radii, self.gate_singular_values, strict=True
                )
            ],
            "singular_value_bound": None if bound is None else finite_or_none(bound),
            "saturation_threshold": SATURATION_THRESHOLD,
            "saturated_fraction": _finite_scalar(self.saturated_fraction),
            "saturated_fraction_per_step": (
                None
                if self.saturated_fraction_per_step is None
                else finite_or_none(self.saturated_fraction_per_step)
            ),
        }


def _finite_scalar(value: float | None) -> float | None:
    return None if value is None else finite_or_none([value])[0]


def rms_norms(grads: np.ndarray, scale: float | None = None) -> np.ndarray:
    """Return sqrt(mean_b ||s g_t^b||^2) per t for grads (T+1, B, H) of the batch loss.

    s = ``scale`` (default B, for the mean loss) makes s dL/dh_t^b example b's gradient
    of its own loss, so the result does not shrink as the batch grows (s = sqrt(B) gives
    the Frobenius norm over the batch); hypot-style scaling keeps huge values from
    overflowing.
    """
    batch = grads.shape[1] if scale is None else scale
    scale = np.max(np.abs(grads), axis=(1, 2), keepdims=True)  # (T+1, 1, 1)
    safe = np.where(scale > 0, scale, 1.0)
    rms = np.sqrt(np.mean(np.sum((grads / safe) ** 2, axis=2), axis=1))  # (T+1,)
    return batch * safe[:, 0, 0] * rms


def run(params: RecurrentParams, seed: int) -> RecurrentResult:
    """Draw a network and a batch from ``seed``, backpropagate, and report per-step norms."""
    rng = np.random.default_rng(seed)
    with np.errstate(all="ignore"):
        # Draw order is part of the numbers' contract: weights, inputs, then targets.
        weights = draw_weights(rng, params)
        shape = (params.steps, params.batch_size, params.input_size)
        inputs = params.input_scale * rng.standard_normal(shape)  # (T, B, I)
        target = rng.uniform(-1.0, 1.0, (params.batch_size, params.hidden_size))  # (B, H)
        probe = None
        if params.loss == "probe":  # drawn last: the other draws stay as they were
            probe = losses.probe_vectors(rng.standard_normal(target.shape))
        h0 = np.zeros((params.batch_size, params.hidden_size))  # (B, H)
        bptt = backpropagate_through_time(params.cell, weights, inputs, h0, target, probe=probe)
        scale = losses.per_example_scale(params.loss, params.batch_size)
        radii, sigmas = measure_matrices(weights.weight_hh, len(GATES[params.cell]))
        saturated = None
        if bptt.tanh_outputs.shape[-1]:
            saturated = np.mean(np.abs(bptt.tanh_outputs) > SATURATION_THRESHOLD, axis=(1, 2))
        return RecurrentResult(
            params=params,
            seed=seed,
            loss=bptt.loss,
            gates=GATES[params.cell],
            gate_spectral_radii=radii,
            gate_singular_values=sigmas,
            grad_h_norms=rms_norms(bptt.grad_h, scale),
            grad_c_norms=None if bptt.grad_c is None else rms_norms(bptt.grad_c, scale),
            saturated_fraction_per_step=saturated,
            grad_h_batch_norms=rms_norms(bptt.grad_h, np.sqrt(params.batch_size)),
        )


SIMULATION = Simulation(
    slug=SLUG,
    title="Recurrent gradient flow",
    params_cls=RecurrentParams,
    run=run,
)
