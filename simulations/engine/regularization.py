"""Regularization: an MLP overfitting a few noisy points, with weight decay or dropout.

The data set is the teacher regression of :mod:`.training` with ``features`` inputs,
x ~ N(0, I), t = tanh(x @ A) @ c (A ~ N(0, 1/features), c ~ N(0, 1/16), 16 hidden
teacher units), plus noise: the targets are t + noise * eps, eps ~ N(0, 1).
``train_samples`` examples are trained on; ``validation_samples`` more, drawn the same
way, measure how well the fit generalizes. A few dozen examples in ten dimensions are
few enough for the network to fit their noise. The network is :mod:`.network`'s MLP
(``depth`` hidden layers of ``width`` units, one linear output), trained by full-batch
gradient descent on the loss 1/(2B) sum_b (y_b - t_b)^2 with one of three regularizers:

- ``none``;
- ``weight_decay``: W <- W - eta (dL/dW + lambda W) for every weight matrix (not the
  biases), the gradient step of L + lambda/2 sum_l ||W_l||^2;
- ``dropout``: inverted dropout on every hidden layer (:mod:`.dropout`), a new mask at
  every step.

Before the first step and then every ``record_every`` steps (at most MAX_RECORDS + 1
records, the last step always included), the training and validation losses are
measured on the network at inference (no dropout, no penalty: the data loss alone), so
the three regularizers are compared on the same footing. At step 0 the per-layer
gradient norms ||dL/dW_l|| of the data loss are recorded too (with that step's masks
under dropout): they show what dropout does to the backward signal of a deep net.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np

from . import dropout
from .activations import ACTIVATIONS, NAMES
from .core import Cost, Simulation, finite_or_none, param, result_header
from .initializers import MLP_SCHEMES
from .network import build_network, frobenius_norm, measure_loss
from .training import TEACHER_WIDTH

SLUG = "regularization"
REGULARIZERS = ("none", "weight_decay", "dropout")
MAX_RECORDS = 100  # loss records per run (plus the start): enough for a smooth curve
# A run's work in multiply-adds, about: every step a forward pass with dropout, a
# backward pass and a forward pass at inference on the training set (4 passes' worth),
# every record a pass on the validation set, and numpy's per-call overhead (about 20
# calls per layer and step) counted as LAYER_OVERHEAD multiply-adds per layer and step.
LAYER_OVERHEAD = 100_000
MAX_COST = 2**30


@dataclasses.dataclass(frozen=True)
class RegularizationParams:
    """The data set, the network, the optimizer and the regularizer."""

    features: int = param(10, doc="Input size (features of every example).", minimum=1,
                          maximum=50)
    train_samples: int = param(30, doc="Training examples.", minimum=4, maximum=500)
    validation_samples: int = param(250, doc="Validation examples (never trained on).",
                                    minimum=10, maximum=2000)
    noise: float = param(0.3, doc="Standard deviation of the noise on the targets.",
                         minimum=0.0, maximum=2.0)
    depth: int = param(2, doc="Number of hidden layers.", minimum=1, maximum=12)
    width: int = param(64, doc="Units per hidden layer.", minimum=2, maximum=256)
    activation: str = param("tanh", doc="Activation of the hidden layers.", choices=NAMES)
    init: str = param("pytorch_default", doc="Weight initialization scheme "
                      "(pytorch_default: as nn.Linear, weights and biases).",
                      choices=MLP_SCHEMES)
    init_std: float = param(0.1, doc="Standard deviation of every weight when init is "
                            "'normal' (ignored otherwise).", minimum=1e-3, maximum=10.0,
                            log_scale=True)
    steps: int = param(1000, doc="Full-batch gradient descent steps.", minimum=1,
                       maximum=10_000)
    learning_rate: float = param(0.1, doc="Gradient descent step size.", minimum=1e-4,
                                 maximum=10.0, log_scale=True)
    regularizer: str = param("none", doc="Regularizer: none, weight decay or dropout.",
                             choices=REGULARIZERS)
    weight_decay: float = param(0.03, doc="lambda of weight decay (weight_decay only).",
                                minimum=1e-6, maximum=1.0, log_scale=True)
    dropout: float = param(0.5, doc="Probability p of dropping a hidden unit (dropout "
                           "only).", minimum=0.0, maximum=0.9)

    def check(self) -> dict:
        error = self.cost().error()
        return {"steps": error} if error else {}

    def cost(self) -> Cost:
        """Return the work of a run, about (see MAX_COST)."""
        layer = self.width * (self.width + self.features) // 2  # mean weights per layer
        records = min(self.steps, MAX_RECORDS)
        value = self.depth * (
            self.steps * (4 * self.train_samples * layer + LAYER_OVERHEAD)
            + records * self.validation_samples * layer)
        return Cost(f"depth × (steps × (4 × train_samples × width × (width + features)/2 + "
                    f"{LAYER_OVERHEAD}) + min(steps, {MAX_RECORDS}) × validation_samples × "
                    "width × (width + features)/2)", value, MAX_COST, "steps")

    @property
    def record_every(self) -> int:
        """Return how many steps apart the losses are recorded."""
        return -(-self.steps // MAX_RECORDS)

    @property
    def drop(self) -> float:
        """Return the dropout probability in force (0 unless the regularizer is dropout)."""
        return self.dropout if self.regularizer == "dropout" else 0.0

    @property
    def decay(self) -> float:
        """Return the weight decay in force (0 unless the regularizer is weight_decay)."""
        return self.weight_decay if self.regularizer == "weight_decay" else 0.0


def draw_examples(rng: np.random.Generator, params: RegularizationParams):
    """Return (train inputs, train targets, validation inputs, validation targets).

    The teacher is drawn first and the training set before the validation set, so that
    changing ``validation_samples`` leaves the teacher and the training set unchanged.
    """
    teacher_in = rng.standard_normal((params.features, TEACHER_WIDTH)) / math.sqrt(
        params.features)
    teacher_out = rng.standard_normal((TEACHER_WIDTH, 1)) / math.sqrt(TEACHER_WIDTH)
    drawn = []
    for count in (params.train_samples, params.validation_samples):
        inputs = rng.standard_normal((count, params.features))  # (count, features)
        clean = np.tanh(inputs @ teacher_in) @ teacher_out  # (count, 1)
        drawn += [inputs, clean + params.noise * rng.standard_normal((count, 1))]
    return tuple(drawn)


@dataclasses.dataclass(frozen=True)
class RegularizationResult:
    params: RegularizationParams
    seed: int
    recorded_steps: list[int]
    train_losses: np.ndarray  # data loss at inference on the training set, per record
    validation_losses: np.ndarray  # the same on the validation set
    initial_grad_norms: list[float]  # ||dL/dW_l|| at step 0, hidden layers l = 1 .. L
    weight_norm: float  # sqrt(sum_l ||W_l||^2) after training, the output layer included
    diverged: bool

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON types only; inf and NaN become None."""
        validation = np.where(np.isfinite(self.validation_losses), self.validation_losses,
                              np.inf)
        best = int(np.argmin(validation))
        norms = self.initial_grad_norms
        return {
            **result_header(SLUG, self.params, self.seed),
            "steps": list(self.recorded_steps),
            "train_losses": finite_or_none(self.train_losses),
            "validation_losses": finite_or_none(self.validation_losses),
            "final_train_loss": finite_or_none(self.train_losses[-1:])[0],
            "final_validation_loss": finite_or_none(self.validation_losses[-1:])[0],
            "best_validation_loss": finite_or_none([validation[best]])[0],
            "best_validation_step": self.recorded_steps[best],
            "noise_floor": 0.5 * self.params.noise**2,
            "initial_grad_norms": finite_or_none(norms),
            "initial_grad_ratio_first_to_last": (
                finite_or_none([norms[0] / norms[-1]])[0] if norms and norms[-1] > 0
                else None),
            "weight_norm": finite_or_none([self.weight_norm])[0],
            "diverged": self.diverged,
        }


def draw_network(params: RegularizationParams, rng: np.random.Generator):
    """Return the initial (weights, biases) for ``features`` inputs, ``depth`` x ``width``."""
    sizes = [params.features] + [params.width] * params.depth + [1]
    return build_network(rng, sizes, init=params.init, init_std=params.init_std,
                         batch_norm=False)


def run(params: RegularizationParams, seed: int) -> RegularizationResult:
    """Train from ``seed`` with the chosen regularizer, recording both losses as it goes.

    A run stops at the first step whose training loss is inf or NaN (``diverged``; that
    step is recorded last), never raising.
    """
    data_seed, weight_seed, mask_seed = np.random.SeedSequence(seed).spawn(3)
    inputs, targets, val_inputs, val_targets = draw_examples(
        np.random.default_rng(data_seed), params)
    weights, biases = draw_network(params, np.random.default_rng(weight_seed))
    mask_rng = np.random.default_rng(mask_seed)
    f = ACTIVATIONS[params.activation]
    widths = [params.width] * params.depth
    recorded, train_losses, validation_losses = [], [], []
    initial_grad_norms: list[float] = []

    def record(step: int) -> None:
        recorded.append(step)
        prediction = dropout.forward(weights, biases, inputs, f).prediction
        train_losses.append(measure_loss(prediction, targets))
        prediction = dropout.forward(weights, biases, val_inputs, f).prediction
        validation_losses.append(measure_loss(prediction, val_targets))

    diverged = False
    with np.errstate(all="ignore"):  # a diverging run is reported, never raised
        for step in range(params.steps):
            if step % params.record_every == 0:
                record(step)
            masks = (dropout.draw_masks(mask_rng, len(inputs), widths, params.drop)
                     if params.drop > 0 else None)
            passed = dropout.forward(weights, biases, inputs, f, masks)
            loss, weight_grads, bias_grads = dropout.backward(passed, weights, targets, f)
            if step == 0:
                initial_grad_norms = [frobenius_norm(g) for g in weight_grads[:-1]]
            if not math.isfinite(loss):
                diverged = True
                break
            dropout.sgd_step(weights, biases, weight_grads, bias_grads,
                             learning_rate=params.learning_rate, weight_decay=params.decay)
        if not diverged:
            record(params.steps)
        elif recorded[-1] != step:
            record(step)
        weight_norm = math.sqrt(sum(float(np.vdot(w, w)) for w in weights))
    return RegularizationResult(params, seed, recorded, np.array(train_losses),
                                np.array(validation_losses), initial_grad_norms,
                                weight_norm, diverged)


SIMULATION = Simulation(
    slug=SLUG,
    title="Regularization: weight decay and dropout",
    params_cls=RegularizationParams,
    run=run,
)
