"""One sigmoid neuron trained by gradient descent, with squared error and with cross-entropy.

    z = w x + b,   a = sigmoid(z)                    # one input x, one output a
    squared error:  L = (a - y)^2 / 2                 dL/dz = (a - y) sigmoid'(z)
    cross-entropy:  L = -[y ln a + (1 - y) ln(1 - a)] dL/dz = a - y

The squared error is the engine's ``half_squared_error`` (:mod:`.losses`) for a batch
of one example and one output. Both neurons start from the same (w, b) and take the
same steps, w <- w - eta x dL/dz and b <- b - eta dL/dz, so the only difference is
the factor sigmoid'(z): when the neuron is confidently wrong (|z| large, a near 0 or 1
and far from y) that factor is tiny and the squared error barely moves it, the
slowdown Nielsen's chapter 3 shows with w = b = 2, x = 1, y = 0, eta = 0.15.

Numerics: sigmoid'(z) is computed as sigmoid(z) sigmoid(-z), which keeps its relative
precision for large |z| (a (1 - a) rounds to 0 once 1 - a is below 2^-53), and the
cross-entropy as softplus(z) - y z, the form of torch's BCEWithLogitsLoss, which is
finite where ln(1 - a) would be ln 0.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from . import losses
from .activations import sigmoid
from .core import Simulation, finite_or_none, param, result_header

SLUG = "sigmoid_neuron_losses"
LOSS_NAMES = ("squared_error", "cross_entropy")


@dataclasses.dataclass(frozen=True)
class NeuronLossesParams:
    """The neuron's starting point, the example it learns and the descent's settings."""

    initial_weight: float = param(2.0, doc="Weight w before the first step.",
                                  minimum=-10.0, maximum=10.0)
    initial_bias: float = param(2.0, doc="Bias b before the first step.",
                                minimum=-10.0, maximum=10.0)
    input: float = param(1.0, doc="The input x of the one training example.",
                         minimum=-2.0, maximum=2.0)
    target: float = param(0.0, doc="The target y of the one training example.",
                          minimum=0.0, maximum=1.0)
    learning_rate: float = param(0.15, doc="Gradient descent step size.",
                                 minimum=1e-3, maximum=10.0, log_scale=True)
    steps: int = param(300, doc="Number of gradient descent steps.", minimum=1, maximum=2000)


def sigmoid_slope(z: float) -> float:
    """Return sigmoid'(z) = sigmoid(z) sigmoid(-z), accurate for large |z|."""
    pair = sigmoid(np.array([z, -z]))
    return float(pair[0] * pair[1])


def cross_entropy(z: float, target: float) -> float:
    """Return -[y ln a + (1 - y) ln(1 - a)] with a = sigmoid(z), as softplus(z) - y z."""
    return float(np.logaddexp(0.0, z)) - target * z


def squared_error(a: float, target: float) -> float:
    """Return (a - y)^2 / 2, the engine's half_squared_error for one example."""
    loss, _ = losses.evaluate("half_squared_error", np.array([[a]]), np.array([[target]]))
    return loss


def output(z: float) -> float:
    """Return a = sigmoid(z) with the engine's sigmoid."""
    return float(sigmoid(np.array([z]))[0])


def loss_and_grad(loss: str, z: float, target: float) -> tuple[float, float]:
    """Return (L, dL/dz) of ``loss`` at pre-activation z."""
    a = output(z)
    if loss == "squared_error":
        return squared_error(a, target), (a - target) * sigmoid_slope(z)
    if loss == "cross_entropy":
        return cross_entropy(z, target), a - target
    raise ValueError(f"unknown loss {loss!r}")


@dataclasses.dataclass(frozen=True)
class Trajectory:
    """One neuron's path: values before each step t = 0 .. steps (the last after the end)."""

    weights: np.ndarray  # (steps + 1,)
    biases: np.ndarray
    preactivations: np.ndarray
    outputs: np.ndarray
    losses: np.ndarray
    grad_z: np.ndarray  # dL/dz, signed

    def steps_to_cross_half(self, target: float) -> int | None:
        """Return the first t whose output is on the target's side of 0.5 (or at 0.5)."""
        crossed = np.abs(self.outputs - target) <= abs(0.5 - target)
        return int(np.argmax(crossed)) if crossed.any() else None

    def to_dict(self, target: float) -> dict[str, Any]:
        return {
            "weights": finite_or_none(self.weights),
            "biases": finite_or_none(self.biases),
            "preactivations": finite_or_none(self.preactivations),
            "outputs": finite_or_none(self.outputs),
            "losses": finite_or_none(self.losses),
            "grad_z": finite_or_none(self.grad_z),
            "abs_grad_z": finite_or_none(np.abs(self.grad_z)),
            "steps_to_cross_half": self.steps_to_cross_half(target),
        }


def descend(loss: str, params: NeuronLossesParams) -> Trajectory:
    """Run gradient descent on one example from the initial (w, b)."""
    count = params.steps + 1
    record = {name: np.empty(count) for name in ("w", "b", "z", "a", "loss", "grad")}
    w, b, x = params.initial_weight, params.initial_bias, params.input
    for t in range(count):
        z = w * x + b
        value, grad_z = loss_and_grad(loss, z, params.target)
        for name, number in zip(record, (w, b, z, output(z), value, grad_z),
                                strict=True):
            record[name][t] = number
        # dL/dw = dL/dz * x and dL/db = dL/dz: the chain rule through z = w x + b.
        w -= params.learning_rate * grad_z * x
        b -= params.learning_rate * grad_z
    return Trajectory(record["w"], record["b"], record["z"], record["a"], record["loss"],
                      record["grad"])


@dataclasses.dataclass(frozen=True)
class NeuronLossesResult:
    """Both trajectories, from the same start."""

    params: NeuronLossesParams
    seed: int
    trajectories: dict[str, Trajectory]

    @property
    def initial_gradient_ratio(self) -> float | None:
        """Return |dL/dz| of cross-entropy over that of squared error at the start: 1/sigmoid'."""
        squared = abs(self.trajectories["squared_error"].grad_z[0])
        crossed = abs(self.trajectories["cross_entropy"].grad_z[0])
        return crossed / squared if squared > 0 else None

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON types only; inf and NaN become None."""
        ratio = self.initial_gradient_ratio
        target = self.params.target
        return {
            **result_header(SLUG, self.params, self.seed),
            "steps": list(range(self.params.steps + 1)),
            "initial_preactivation": self.params.initial_weight * self.params.input
            + self.params.initial_bias,
            "initial_sigmoid_slope": sigmoid_slope(
                self.params.initial_weight * self.params.input + self.params.initial_bias),
            "initial_gradient_ratio": None if ratio is None else finite_or_none([ratio])[0],
            "losses": {name: trajectory.to_dict(target)
                       for name, trajectory in self.trajectories.items()},
        }


def run(params: NeuronLossesParams, seed: int) -> NeuronLossesResult:
    """Train the neuron with each loss; deterministic (the seed is recorded, unused)."""
    with np.errstate(over="ignore"):
        trajectories = {name: descend(name, params) for name in LOSS_NAMES}
    return NeuronLossesResult(params, seed, trajectories)


SIMULATION = Simulation(
    slug=SLUG,
    title="A sigmoid neuron trained with squared error and with cross-entropy",
    params_cls=NeuronLossesParams,
    run=run,
)

