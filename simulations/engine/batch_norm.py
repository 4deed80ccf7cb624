"""Batch normalization: the same deep MLP trained by SGD with and without it.

The data set is the teacher regression of :mod:`.training` (inputs x ~ N(0, I) of size
``width``, t = tanh(x @ A) @ c), drawn once: ``samples`` examples to train on and
``held_out`` more to evaluate. Both students start from the same weights: the plain one
is the network of :mod:`.network` (biases zero, except under pytorch_default), the
other puts batch norm with trainable γ and β and running statistics in every hidden
layer (:mod:`.batch_norm_layers`). Both see the same minibatches and take the same SGD
steps p <- p - learning_rate * dL/dp on L = 1/(2B) sum_b (y_b - t_b)^2.

Reported:

- ``grad_norms_plain`` / ``grad_norms_bn``: ||dL/dW_l||_F of every hidden layer l = 1 .. L
  at initialization, on the first minibatch (the gradient flow);
- ``saturated_plain`` / ``saturated_bn`` (sigmoid, tanh): the share of entries of h_l in
  the saturated region at initialization (see :mod:`.activations`);
- ``losses_plain`` / ``losses_bn``: the minibatch loss at every step, before the update;
- ``running_means`` / ``running_vars``: the batch-norm running statistics after training;
- on the held-out set after training: the loss of the mean training target (a constant,
  the baseline a network must beat); the plain network's loss; the batch-norm network's
  loss in inference mode (running statistics); and, for every batch size b of
  ``eval_batch_sizes`` (powers of two up to ``held_out``), its loss when the held-out set
  is cut into batches of b that are normalized with their own statistics, with the root
  mean square gap between those outputs and the inference-mode ones.

A network whose loss or parameters stop being finite stops training there (its later
losses are NaN, None in JSON); its divergence step is reported.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np

from . import batch_norm_layers as layers
from .activations import NAMES, with_leak
from .core import Cost, FieldError, Simulation, finite_or_none, param, result_header
from .initializers import MLP_SCHEMES, he_gain
from .mlp_params import (
    batch_norm_eps_param,
    he_gain_for_param,
    init_gain_param,
    init_std_param,
    leaky_relu_slope_param,
)
from .network import backpropagate, build_network, forward, frobenius_norm, measure_loss
from .training import draw_data_set, global_norm

SLUG = "batch_norm"
# depth * (steps * (width^2 * batch_size + LAYER_OVERHEAD)
#          + passes * (width^2 * held_out + LAYER_OVERHEAD) / EVALUATION_DISCOUNT)
# bounds the cost of a run: two networks trained each step, then the held-out set passed
# forward once per evaluation batch size, once in inference mode and once through the
# plain network. A forward pass costs about a quarter of a training step (one product
# per layer against forward and backward for two networks), and with steps = 1 and 2048
# held-out examples the evaluations are most of the run. LAYER_OVERHEAD is numpy's
# per-call overhead of about 60 calls per layer and step. MAX_COST keeps every allowed
# run near half a second on one core (benchmarks/engine_cost_bound.py times the corners).
LAYER_OVERHEAD = 200_000
EVALUATION_DISCOUNT = 4
MAX_COST = 2**29


@dataclasses.dataclass(frozen=True)
class BatchNormParams:
    """The network, its initialization, the data and SGD."""

    depth: int = param(10, doc="Number of hidden layers L.", minimum=1, maximum=30)
    width: int = param(32, doc="Units per hidden layer (and input size).", minimum=2, maximum=128)
    activation: str = param("sigmoid", doc="Activation of the hidden layers.", choices=NAMES)
    init: str = param("glorot_normal", doc="Weight initialization scheme (pytorch_default: "
                      "U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases, as "
                      "nn.Linear).", choices=MLP_SCHEMES)
    init_std: float = init_std_param(0.1)
    samples: int = param(1024, doc="Training examples.", minimum=8, maximum=2048)
    held_out: int = param(512, doc="Held-out examples evaluated after training.",
                          minimum=2, maximum=2048)
    batch_size: int = param(32, doc="Examples per SGD step (at least 2 for batch norm).",
                            minimum=2, maximum=256)
    steps: int = param(80, doc="Number of SGD steps.", minimum=1, maximum=1000)
    learning_rate: float = param(0.1, doc="SGD step size.", minimum=1e-4, maximum=10.0,
                                 log_scale=True)
    momentum: float = param(layers.RUNNING_MOMENTUM, doc="Momentum m of the running "
                            "statistics: running <- (1 - m) running + m batch (torch's "
                            "BatchNorm1d momentum).", minimum=0.0, maximum=1.0)
    init_gain: float = init_gain_param()
    leaky_relu_slope: float = leaky_relu_slope_param()
    he_gain_for: str = he_gain_for_param()
    batch_norm_eps: float = batch_norm_eps_param()

    def check(self) -> dict[str, FieldError]:
        """Refuse minibatches larger than the data set and runs that would be too slow."""
        if self.batch_size > self.samples:
            return {"batch_size": FieldError("batch_exceeds_samples")}
        error = self.cost().error()
        return {"steps": error} if error else {}

    def cost(self) -> Cost:
        """Return the work of a run, about (see MAX_COST), under the field that adds most."""
        training = self.steps * (self.width**2 * self.batch_size + LAYER_OVERHEAD)
        passes = len(self.eval_batch_sizes) + 2
        evaluation = passes * (self.width**2 * self.held_out + LAYER_OVERHEAD)
        value = self.depth * (training + evaluation // EVALUATION_DISCOUNT)
        formula = (f"depth × (steps × (width² × batch_size + {LAYER_OVERHEAD}) + "
                   f"{passes} × (width² × held_out + {LAYER_OVERHEAD}) / "
                   f"{EVALUATION_DISCOUNT})")
        field = "steps" if EVALUATION_DISCOUNT * training >= evaluation else "held_out"
        return Cost(formula, value, MAX_COST, field)

    @property
    def eval_batch_sizes(self) -> list[int]:
        """Return 2, 4, 8, .. up to held_out (and held_out itself, the whole set)."""
        sizes = [2**k for k in range(1, int(math.log2(self.held_out)) + 1)]
        return sizes if sizes[-1] == self.held_out else [*sizes, self.held_out]


@dataclasses.dataclass(frozen=True)
class BatchNormResult:
    """Gradient flow at initialization, loss curves, and the held-out comparison."""

    params: BatchNormParams
    seed: int
    grad_norms_plain: np.ndarray  # (L,)
    grad_norms_bn: np.ndarray  # (L,)
    saturated_plain: np.ndarray | None  # (L,)
    saturated_bn: np.ndarray | None  # (L,)
    losses_plain: np.ndarray  # (steps,)
    losses_bn: np.ndarray  # (steps,)
    divergence_step_plain: int | None
    divergence_step_bn: int | None
    running_means: np.ndarray  # (L, width)
    running_vars: np.ndarray  # (L, width)
    held_out_loss_constant: float
    held_out_loss_plain: float
    held_out_loss_running: float
    held_out_loss_batch: np.ndarray  # (len(eval_batch_sizes),)
    output_gap_batch: np.ndarray  # (len(eval_batch_sizes),)

    @property
    def grad_ratio_first_to_last_bn(self) -> float:
        return float(self.grad_norms_bn[0] / self.grad_norms_bn[-1])

    @property
    def grad_ratio_first_to_last_plain(self) -> float:
        return float(self.grad_norms_plain[0] / self.grad_norms_plain[-1])

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON types only; inf and NaN become None."""

        def optional(values):
            return None if values is None else finite_or_none(values)

        def scalar(value):
            return finite_or_none([value])[0]

        return {
            **result_header(SLUG, self.params, self.seed),
            "layers": list(range(1, self.params.depth + 1)),
            "grad_norms_plain": finite_or_none(self.grad_norms_plain),
            "grad_norms_bn": finite_or_none(self.grad_norms_bn),
            "grad_ratio_first_to_last_plain": scalar(self.grad_ratio_first_to_last_plain),
            "grad_ratio_first_to_last_bn": scalar(self.grad_ratio_first_to_last_bn),
            "saturated_plain": optional(self.saturated_plain),
            "saturated_bn": optional(self.saturated_bn),
            "steps": list(range(self.params.steps)),
            "losses_plain": finite_or_none(self.losses_plain),
            "losses_bn": finite_or_none(self.losses_bn),
            "final_loss_plain": scalar(self.losses_plain[-1]),
            "final_loss_bn": scalar(self.losses_bn[-1]),
            "divergence_step_plain": self.divergence_step_plain,
            "divergence_step_bn": self.divergence_step_bn,
            "running_means": [finite_or_none(row) for row in self.running_means],
            "running_vars": [finite_or_none(row) for row in self.running_vars],
            "held_out_loss_constant": scalar(self.held_out_loss_constant),
            "held_out_loss_plain": scalar(self.held_out_loss_plain),
            "held_out_loss_running": scalar(self.held_out_loss_running),
            "eval_batch_sizes": self.params.eval_batch_sizes,
            "held_out_loss_batch": finite_or_none(self.held_out_loss_batch),
            "output_gap_batch": finite_or_none(self.output_gap_batch),
        }


def draw_start(params: BatchNormParams, seed: int):
    """Return (data set, initial weights and biases, minibatch stream) drawn from ``seed``."""
    weight_seed, data_seed, batch_seed = np.random.SeedSequence(seed).spawn(3)
    data = draw_data_set(np.random.default_rng(data_seed), params.samples + params.held_out,
                         params.width)
    sizes = [params.width] * (params.depth + 1) + [1]
    weights, biases = build_network(
        np.random.default_rng(weight_seed), sizes, init=params.init,
        init_std=params.init_std, batch_norm=False, gain=params.init_gain,
        he_gain=he_gain(params.he_gain_for, params.leaky_relu_slope))
    return data, weights, biases, np.random.default_rng(batch_seed)


def saturation(f, hidden) -> np.ndarray | None:
    """Return the saturated share of each hidden layer's outputs (None for the ReLUs)."""
    return np.array([f.saturated(h).mean() for h in hidden]) if f.saturates else None


def evaluate_held_out(net, f, inputs, targets, sizes) -> tuple[float, np.ndarray, np.ndarray]:
    """Return the inference-mode loss, and per batch size the batch-statistics loss and gap."""
    running = layers.forward_inference(net, inputs, f)  # (held_out, 1)
    losses, gaps = [], []
    for size in sizes:
        count = len(inputs) // size * size  # whole batches only
        groups = inputs[:count].reshape(count // size, size, -1)  # (count / b, b, width)
        outputs = layers.forward_batch_statistics(net, groups, f).reshape(count, -1)
        losses.append(measure_loss(outputs, targets[:count]))
        gaps.append(math.sqrt(float(np.mean((outputs - running[:count]) ** 2))))
    return measure_loss(running, targets), np.array(losses), np.array(gaps)


def run(params: BatchNormParams, seed: int) -> BatchNormResult:
    """Train both networks on the same minibatches; measure them as the module doc says."""
    (inputs, targets), weights, biases, batch_rng = draw_start(params, seed)
    train_x, train_t = inputs[:params.samples], targets[:params.samples]
    test_x, test_t = inputs[params.samples:], targets[params.samples:]
    f = with_leak(params.activation, params.leaky_relu_slope)
    net = layers.BatchNormNetwork.from_weights(weights, biases[-1], params.batch_norm_eps)
    plain = [p.copy() for pair in zip(weights, biases, strict=True) for p in pair]
    losses = {"plain": np.full(params.steps, np.nan), "bn": np.full(params.steps, np.nan)}
    diverged: dict[str, int | None] = {"plain": None, "bn": None}
    with np.errstate(all="ignore"):  # divergence is an outcome to report, not a warning
        for step in range(params.steps):
            batch = batch_rng.choice(params.samples, size=params.batch_size, replace=False)
            x, t = train_x[batch], train_t[batch]
            if diverged["plain"] is None:
                result = backpropagate(plain[0::2], plain[1::2], x, t, activation=f)
                if step == 0:
                    grad_norms_plain = [frobenius_norm(g) for g in result.weight_grads[:-1]]
                    saturated_plain = saturation(f, result.activations[1:])
                losses["plain"][step] = result.loss
                diverged["plain"] = sgd_step(plain, result.parameter_grads, result.loss,
                                             params.learning_rate, step)
            if diverged["bn"] is None:
                passed = layers.forward_training(net, x, f, momentum=params.momentum)
                grads = layers.backward(net, passed, t, f)
                if step == 0:
                    grad_norms_bn = [frobenius_norm(g) for g in grads.weights[:-1]]
                    saturated_bn = saturation(f, passed.inputs[1:])
                losses["bn"][step] = grads.loss
                diverged["bn"] = sgd_step(net.parameters(), grads.arrays(), grads.loss,
                                          params.learning_rate, step)
        held_out_running, held_out_batch, gaps = evaluate_held_out(
            net, f, test_x, test_t, params.eval_batch_sizes)
        held_out_plain = measure_loss(forward_plain(plain, test_x, f), test_t)
        held_out_constant = measure_loss(np.full_like(test_t, train_t.mean()), test_t)
    return BatchNormResult(
        params=params, seed=seed,
        grad_norms_plain=np.array(grad_norms_plain), grad_norms_bn=np.array(grad_norms_bn),
        saturated_plain=saturated_plain, saturated_bn=saturated_bn,
        losses_plain=losses["plain"], losses_bn=losses["bn"],
        divergence_step_plain=diverged["plain"], divergence_step_bn=diverged["bn"],
        running_means=np.array(net.running_means), running_vars=np.array(net.running_vars),
        held_out_loss_constant=held_out_constant, held_out_loss_plain=held_out_plain,
        held_out_loss_running=held_out_running,
        held_out_loss_batch=held_out_batch, output_gap_batch=gaps,
    )


def forward_plain(parameters: list[np.ndarray], inputs: np.ndarray, f) -> np.ndarray:
    """Return the plain network's outputs (no batch norm)."""
    return forward(parameters[0::2], parameters[1::2], inputs, activation=f).outputs


def sgd_step(parameters, grads, loss: float, learning_rate: float, step: int) -> int | None:
    """Update in place; return ``step`` when the loss or a gradient is not finite.

    A parameter that overflows in the update makes the next step's loss non-finite.
    """
    if not (math.isfinite(loss) and math.isfinite(global_norm(grads))):
        return step
    for parameter, grad in zip(parameters, grads, strict=True):
        parameter -= learning_rate * grad
    return None


SIMULATION = Simulation(
    slug=SLUG,
    title="Batch normalization: training and inference",
    params_cls=BatchNormParams,
    run=run,
)
