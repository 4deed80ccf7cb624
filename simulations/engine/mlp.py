"""Gradient flow through a deep multilayer perceptron: where gradients vanish or explode.

The network (equations and batch norm in :mod:`.network`) has ``depth`` = L hidden
layers of ``width`` units, input size ``input_size`` (``width`` when 0) and ``outputs``
= k linear output units. The loss is a convention of :mod:`.losses`, by default
L = 1/(2B) sum_b ||y_b - t_b||^2. Inputs (:mod:`.inputs`, unit variance) and targets
(standard normal; the probe's g_b = t_b / sqrt(k)) are drawn from the seed.

Reported per hidden layer l = 1 .. L, with s = dl_b/dv_b / dL/dv_b the per-example scale
of the loss convention (B for batch means, 1 for the probe's sum; see :mod:`.losses`):

- ``weight_grad_norms``: ||dL/dW_l||_F (Frobenius) of the batch loss L;
- ``hidden_grad_norms``: sqrt(mean_b ||dl_b/dh_l^b||^2) = s/sqrt(B) * ||dL/dh_l||_F, the
  root mean square of each example's gradient of its own loss with respect to the
  layer's output, so it does not shrink with the batch (as in the recurrent simulation);
- ``preactivation_grad_norms``: the same for dl_b/dz_l^b, before f' (and batch norm);
- ``weight_grad_rms_per_example``: sqrt(mean_b ||dl_b/dW_l||_F^2), each example's own
  weight gradient s h_{l-1}^b (dL/dz_l^b)^T (with batch norm, example b's term of the
  batch gradient, since examples then interact through the batch statistics);
- ``activation_means`` / ``activation_stds``: over all (example, unit) entries of h_l;
- ``saturated_fractions`` (sigmoid, tanh): share of entries with f'(u) below
  SATURATION_SLOPE_RATIO (1.99%) of f's maximum slope, i.e. |tanh| > 0.99;
- ``dead_fractions`` (relu, leaky relu): share of units whose pre-activation is <= 0 for
  every example of the batch (ReLU: output 0, no gradient to their weights from this
  batch; leaky ReLU: only the leak, leaky_relu_slope).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from . import losses, mlp_diagnostics
from .activations import with_leak
from .core import Simulation, finite_or_none, result_header
from .inputs import draw_inputs
from .mlp_params import DRAW_COST, MAX_COST, OUTPUTS, SPECTRA_COST, MLPParams
from .network import backpropagate, build_network, forward, frobenius_norm, walk_back

__all__ = [
    "DRAW_COST",
    "MAX_COST",
    "OUTPUTS",
    "SIMULATION",
    "SPECTRA_COST",
    "MLPParams",
    "MLPResult",
    "backpropagate",
    "draw_problem",
    "run",
]

SLUG = "mlp_gradient_flow"


def draw_problem(params: MLPParams, seed: int):
    """Return (weights, biases, inputs, targets) drawn from ``seed``.

    Weights and data come from independent streams, so changing the batch size leaves
    the weights unchanged. Targets are standard normals; under the probe loss they are
    the probe vectors g_b, rescaled to N(0, I/k).
    """
    weight_rng, data_rng = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2))
    input_size = params.input_size or params.width
    sizes = [input_size] + [params.width] * params.depth + [params.outputs]
    weights, biases = build_network(
        weight_rng,
        sizes,
        init=params.init,
        init_std=params.init_std,
        batch_norm=params.batch_norm,
        gain=params.init_gain,
        he_gain=params.he_gain,
    )
    shape = (params.batch_size, input_size)
    inputs = draw_inputs(data_rng, params.input_distribution, shape)  # (batch, n_0)
    targets = data_rng.standard_normal((params.batch_size, params.outputs))  # (batch, k)
    if params.loss == "probe":
        targets = losses.probe_vectors(targets)
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
    preactivation_grad_norms: np.ndarray  # (L,): per-example RMS of dl_b/dz_l
    output_grad_norm: float  # per-example RMS of dl_b/dy_b
    weight_grad_rms_per_example: np.ndarray  # (L + 1,): W_1 .. W_{L+1}
    input_mean_square: float  # mean over every entry of x^2
    weight_spectral_norms: np.ndarray | None  # (L + 1,), when spectra
    jacobian_singular_values: np.ndarray | None  # (min(n_0, width),), spectra without BN

    @property
    def grad_ratio_first_to_last(self) -> float:
        """Return ||dL/dW_1||_F / ||dL/dW_L||_F: below 1 vanishing, above 1 exploding."""
        with np.errstate(all="ignore"):
            return float(np.float64(self.weight_grad_norms[0]) / self.weight_grad_norms[-1])

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON types only; inf and NaN become None."""

        def optional(values):
            return None if values is None else finite_or_none(values)

        def scalar(value):
            return finite_or_none([value])[0]

        return {
            **result_header(SLUG, self.params, self.seed),
            "layers": list(range(1, self.params.depth + 1)),
            "loss": scalar(self.loss),
            "loss_convention": self.params.loss,
            "loss_definition": losses.DEFINITIONS[self.params.loss],
            "weight_grad_norms": finite_or_none(self.weight_grad_norms),
            "output_weight_grad_norm": scalar(self.output_weight_grad_norm),
            "hidden_grad_norms": finite_or_none(self.hidden_grad_norms),
            "input_grad_norm": scalar(self.input_grad_norm),
            "grad_ratio_first_to_last": scalar(self.grad_ratio_first_to_last),
            "activation_means": finite_or_none(self.activation_means),
            "activation_stds": finite_or_none(self.activation_stds),
            "saturated_fractions": optional(self.saturated_fractions),
            "dead_fractions": optional(self.dead_fractions),
            "preactivation_grad_norms": finite_or_none(self.preactivation_grad_norms),
            "output_grad_norm": scalar(self.output_grad_norm),
            "weight_grad_rms_per_example": finite_or_none(self.weight_grad_rms_per_example),
            "input_mean_square": scalar(self.input_mean_square),
            "weight_spectral_norms": optional(self.weight_spectral_norms),
            "jacobian_singular_values": optional(self.jacobian_singular_values),
        }


def rms_example_norm(grad: np.ndarray, scale: float | None = None) -> float:
    """Return sqrt(mean_b ||s g_b||^2) = s/sqrt(B) ||g||_F for a batch-loss gradient g.

    s = ``scale`` is the loss's per-example scale (B, the default, for a batch mean).
    """
    batch = grad.shape[0]
    ratio = 1.0 if scale is None else scale / batch  # exactly 1.0 for batch means
    return float(np.sqrt(batch) * frobenius_norm(grad) * ratio)


def measure_backward(params: MLPParams, passed, weights, targets, f) -> dict[str, Any]:
    """Walk back once and keep, per layer, only the norms the result reports.

    Keeping norms only lets each layer's gradient memory be reused layer after layer
    instead of holding every dL/dW at once. Index k = 0 .. L is weights[k], the matrix
    that produces layer k + 1 (k = L: the output), and h_k its input.
    """
    scale = losses.per_example_scale(params.loss, params.batch_size)
    loss, output_grad = losses.evaluate(params.loss, passed.outputs, targets)
    layers = params.depth + 1
    norms = {name: np.empty(layers) for name in ("weight", "hidden", "preactivation", "example")}
    for k, grad_z, weight_grad, hidden_grad in walk_back(
        passed, weights, targets, activation=f, output_grad=output_grad
    ):
        norms["weight"][k] = frobenius_norm(weight_grad)
        norms["hidden"][k] = rms_example_norm(hidden_grad, scale)  # h_k
        norms["preactivation"][k] = rms_example_norm(grad_z, scale)  # z_{k+1}
        norms["example"][k] = mlp_diagnostics.per_example_weight_grad_rms(
            passed.activations[k], grad_z, scale
        )
    return {"loss": loss, **norms}


def measure_spectra(params: MLPParams, weights, passed, f):
    """Return (spectral norms, Jacobian singular values) when asked for, else Nones."""
    if not params.spectra:
        return None, None
    norms = mlp_diagnostics.spectral_norms(weights)
    if params.batch_norm:
        return norms, None
    return norms, mlp_diagnostics.jacobian_singular_values(weights, passed.activations, f)


def run(params: MLPParams, seed: int) -> MLPResult:
    """Draw a network and a batch from ``seed``, backpropagate once, report per layer."""
    weights, biases, inputs, targets = draw_problem(params, seed)
    f = with_leak(params.activation, params.leaky_relu_slope)
    with np.errstate(all="ignore"):  # huge inits may overflow: reported as None, not raised
        passed = forward(
            weights,
            biases,
            inputs,
            activation=f,
            batch_norm=params.batch_norm,
            batch_norm_eps=params.batch_norm_eps,
        )
        norms = measure_backward(params, passed, weights, targets, f)
        hidden = passed.activations[1:]  # h_1 .. h_L
        saturated = dead = None
        if f.saturates:
            saturated = np.array([f.saturated(h).mean() for h in hidden])
        else:  # output <= 0 exactly when the pre-activation is <= 0
            dead = np.array([np.all(h <= 0.0, axis=0).mean() for h in hidden])
        spectral, singular = measure_spectra(params, weights, passed, f)
        return MLPResult(
            params=params,
            seed=seed,
            loss=norms["loss"],
            weight_grad_norms=norms["weight"][:-1],
            output_weight_grad_norm=float(norms["weight"][-1]),
            hidden_grad_norms=norms["hidden"][1:],
            input_grad_norm=float(norms["hidden"][0]),
            activation_means=np.array([h.mean() for h in hidden]),
            activation_stds=np.array([h.std() for h in hidden]),
            saturated_fractions=saturated,
            dead_fractions=dead,
            preactivation_grad_norms=norms["preactivation"][:-1],
            output_grad_norm=float(norms["preactivation"][-1]),
            weight_grad_rms_per_example=norms["example"],
            input_mean_square=float(np.mean(inputs**2)),
            weight_spectral_norms=spectral,
            jacobian_singular_values=singular,
        )


SIMULATION = Simulation(
    slug=SLUG,
    title="Gradient flow in a deep MLP",
    params_cls=MLPParams,
    run=run,
)
