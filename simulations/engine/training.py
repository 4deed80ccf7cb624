"""Training dynamics: SGD on a deep MLP, with and without gradient clipping.

The data set is a regression drawn from the seed: ``samples`` inputs x ~ N(0, I) of
size ``width`` and targets from a random teacher, t = tanh(x @ A) @ c with A of shape
(width, TEACHER_WIDTH), A_ij ~ N(0, 1/width), and c_j ~ N(0, 1/TEACHER_WIDTH). The
student is the network of :mod:`.network` (``depth`` hidden layers of ``width`` units,
one linear output, loss 1/(2B) sum_b (y_b - t_b)^2 over the minibatch).

Every step draws a minibatch of ``batch_size`` distinct examples, computes the loss and
the gradient, records the loss and the global gradient norm
sqrt(sum over every W and b of ||g||_F^2) *before* clipping, clips, and updates every
parameter by p <- p - learning_rate * g. Clipping follows torch.nn.utils:

- ``norm`` (clip_grad_norm_): scale = clip_threshold / (total_norm + 1e-6); if scale < 1,
  every gradient is multiplied by it;
- ``value`` (clip_grad_value_): every entry is clipped to [-clip_threshold, clip_threshold].

Each step also records the angle between the clipped gradient and the true one
(:func:`.clipping.step_angle`): the clipped step's turn away from steepest descent.

Divergence is reported, never raised: the run stops at the first step whose loss or
gradient norm is inf or NaN (float64 overflow included), or whose update leaves a
non-finite parameter. That step is ``divergence_step`` (0-based); the per-step lists hold
the steps that ran, the diverging one included (its inf/NaN as None in JSON).
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np

from . import initializers
from .activations import NAMES, with_leak
from .clipping import CLIPPING, clip_gradients, global_norm, step_angle
from .core import (
    Cost,
    FieldError,
    Simulation,
    finite_or_none,
    param,
    result_header,
)
from .mlp_params import (
    batch_norm_eps_param,
    he_gain_for_param,
    init_gain_param,
    init_param,
    init_std_param,
    leaky_relu_slope_param,
)
from .network import backpropagate, build_network

SLUG = "training_dynamics"
TEACHER_WIDTH = 16
# steps * depth * (width^2 * batch + LAYER_OVERHEAD) bounds the cost of a run: numpy's
# per-call overhead (about 30 calls per layer and step) counts as LAYER_OVERHEAD.
LAYER_OVERHEAD = 100_000
MAX_COST = 2**29


@dataclasses.dataclass(frozen=True)
class TrainingParams:
    """The network, the optimizer and the clipping rule."""

    depth: int = param(8, doc="Number of hidden layers.", minimum=1, maximum=20)
    width: int = param(32, doc="Units per hidden layer (and input size).", minimum=2, maximum=128)
    activation: str = param("tanh", doc="Activation of the hidden layers.", choices=NAMES)
    init: str = init_param()
    init_std: float = init_std_param(0.3)
    batch_norm: bool = param(False, doc="Batch-normalize every hidden layer (training mode).")
    samples: int = param(256, doc="Size of the synthetic data set.", minimum=8, maximum=2048)
    batch_size: int = param(32, doc="Examples per SGD step.", minimum=1, maximum=256)
    steps: int = param(200, doc="Number of SGD steps.", minimum=1, maximum=1000)
    learning_rate: float = param(
        0.05, doc="SGD step size.", minimum=1e-4, maximum=10.0, log_scale=True
    )
    clipping: str = param(
        "none", doc="Gradient clipping: none, by global norm or by value.", choices=CLIPPING
    )
    clip_threshold: float = param(
        1.0,
        doc="Largest global gradient norm ('norm') or entry magnitude ('value').",
        minimum=1e-3,
        maximum=1e3,
        log_scale=True,
    )
    init_gain: float = init_gain_param()
    leaky_relu_slope: float = leaky_relu_slope_param()
    he_gain_for: str = he_gain_for_param()
    batch_norm_eps: float = batch_norm_eps_param()

    def check(self) -> dict[str, FieldError]:
        """Refuse minibatches larger than the data set, BN on one example, slow runs."""
        if self.batch_size > self.samples:
            return {"batch_size": FieldError("batch_exceeds_samples")}
        if self.batch_norm and self.batch_size < 2:
            return {"batch_size": FieldError("batch_norm_needs_two")}
        error = self.cost().error()
        return {"steps": error} if error else {}

    def cost(self) -> Cost:
        """Return the work of a run, about (see MAX_COST)."""
        value = self.steps * self.depth * (self.width**2 * self.batch_size + LAYER_OVERHEAD)
        return Cost(f"steps × depth × (width² × batch_size + {LAYER_OVERHEAD})", value,
                    MAX_COST, "steps")

    @property
    def he_gain(self) -> float:
        """Return the gain the He schemes use under ``he_gain_for``."""
        return initializers.he_gain(self.he_gain_for, self.leaky_relu_slope)


@dataclasses.dataclass(frozen=True)
class TrainingResult:
    """Per-step loss and gradient norms, and where the run diverged if it did."""

    params: TrainingParams
    seed: int
    losses: np.ndarray  # (steps_run,)
    grad_norms: np.ndarray  # (steps_run,), before clipping
    clipped_grad_norms: np.ndarray  # (steps_run,), after clipping (= grad_norms if none)
    divergence_step: int | None
    clip_angles: np.ndarray  # (steps_run,) degrees between clipped and true gradient

    @property
    def diverged(self) -> bool:
        return self.divergence_step is not None

    @property
    def clipped_fraction(self) -> float:
        """Return the share of steps whose gradient the clipping rule changed."""
        if not len(self.grad_norms):
            return 0.0
        with np.errstate(invalid="ignore"):
            return float(np.mean(self.clipped_grad_norms != self.grad_norms))

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON types only; inf and NaN become None."""
        return {
            **result_header(SLUG, self.params, self.seed),
            "steps": list(range(len(self.losses))),
            "losses": finite_or_none(self.losses),
            "grad_norms": finite_or_none(self.grad_norms),
            "clipped_grad_norms": finite_or_none(self.clipped_grad_norms),
            "clipped_fraction": self.clipped_fraction,
            "clip_angles": finite_or_none(self.clip_angles),
            "largest_clip_angle": finite_or_none([np.nanmax(self.clip_angles, initial=0.0)])[0],
            "diverged": self.diverged,
            "divergence_step": self.divergence_step,
            "final_loss": finite_or_none(self.losses[-1:])[0] if len(self.losses) else None,
        }


def draw_data_set(rng: np.random.Generator, samples: int, width: int):
    """Return (inputs, targets) of the teacher regression described in the module doc."""
    inputs = rng.standard_normal((samples, width))  # (samples, width)
    teacher_in = rng.standard_normal((width, TEACHER_WIDTH)) / math.sqrt(width)
    teacher_out = rng.standard_normal((TEACHER_WIDTH, 1)) / math.sqrt(TEACHER_WIDTH)
    targets = np.tanh(inputs @ teacher_in) @ teacher_out  # (samples, 1)
    return inputs, targets


def draw_network(params: TrainingParams, rng: np.random.Generator):
    """Return the student's initial (weights, biases): ``depth`` layers, one output."""
    sizes = [params.width] * (params.depth + 1) + [1]
    return build_network(
        rng,
        sizes,
        init=params.init,
        init_std=params.init_std,
        batch_norm=params.batch_norm,
        gain=params.init_gain,
        he_gain=params.he_gain,
    )


def run(params: TrainingParams, seed: int) -> TrainingResult:
    """Train from ``seed`` and record every step; stop quietly at the first inf or NaN."""
    weight_seed, data_seed, batch_seed = np.random.SeedSequence(seed).spawn(3)
    inputs, targets = draw_data_set(np.random.default_rng(data_seed), params.samples, params.width)
    weights, biases = draw_network(params, np.random.default_rng(weight_seed))
    activation = with_leak(params.activation, params.leaky_relu_slope)
    parameters = [p for pair in zip(weights, biases, strict=True) for p in pair if p is not None]
    batch_rng = np.random.default_rng(batch_seed)
    losses, grad_norms, clipped_norms, angles = [], [], [], []
    divergence_step = None
    with np.errstate(all="ignore"):  # overflow is an outcome to report, not a warning
        for step in range(params.steps):
            batch = batch_rng.choice(params.samples, size=params.batch_size, replace=False)
            result = backpropagate(
                weights,
                biases,
                inputs[batch],
                targets[batch],
                activation=activation,
                batch_norm=params.batch_norm,
                batch_norm_eps=params.batch_norm_eps,
            )
            grads = result.parameter_grads
            total_norm = global_norm(grads)
            clipped = clip_gradients(grads, total_norm, params.clipping, params.clip_threshold)
            losses.append(result.loss)
            grad_norms.append(total_norm)
            clipped_norms.append(total_norm if clipped is grads else global_norm(clipped))
            angles.append(step_angle(grads, clipped))
            if not (math.isfinite(result.loss) and math.isfinite(total_norm)):
                divergence_step = step
                break
            for parameter, grad in zip(parameters, clipped, strict=True):
                parameter -= params.learning_rate * grad  # in place: weights see it
            if not all(np.isfinite(p).all() for p in parameters):
                divergence_step = step
                break
    return TrainingResult(
        params=params,
        seed=seed,
        losses=np.array(losses),
        grad_norms=np.array(grad_norms),
        clipped_grad_norms=np.array(clipped_norms),
        divergence_step=divergence_step,
        clip_angles=np.array(angles),
    )


SIMULATION = Simulation(
    slug=SLUG,
    title="Training dynamics with and without gradient clipping",
    params_cls=TrainingParams,
    run=run,
)
