"""Descent on a two-parameter loss surface: the path, the loss and the verdict.

The run is built from two replaceable parts, a surface (:data:`OBJECTIVES`, see
``surfaces.py``) and an update rule (:data:`OPTIMIZERS`, see ``optimizers.py``):

- the quadratic bowl, optionally turned by ``rotation`` degrees,

      L(theta) = 1/2 theta^T R A R^T theta,   A = diag(lambda_min, lambda_max),
      lambda_max = 1,  lambda_min = 1 / condition_number,

  and Rosenbrock's valley (a - x)^2 + b (y - x^2)^2 with a = 1, b = 100, minimum (1, 1);
- gradient descent, momentum (heavy ball), RMSProp and Adam, as torch.optim has them.

Unturned, the shallow direction is the first coordinate (drawn horizontally), the steep
one the second, and gradient descent is theta <- (I - eta A) theta. The learning rate is
a fraction of the stability limit 2 / lambda_max (lambda_max the largest curvature at
the minimum): eta = lr_fraction * 2 / lambda_max; or, with lr_rule = "best", the best
fixed rate, eta = 2 / (lambda_max + lambda_min), which shrinks the distance to the
minimum by (kappa - 1) / (kappa + 1) per step; for momentum "best" is Polyak's pair
(eta, beta), whose rate is (sqrt(kappa) - 1) / (sqrt(kappa) + 1). RMSProp's and Adam's
steps are about eta per coordinate whatever the curvature, so they take an absolute
rate, lr_rule = "absolute": eta = learning_rate.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np

from .core import FieldError, Simulation, finite_or_none, param, result_header
from .optimizers import Adam, GradientDescent, Momentum, RMSProp, best_momentum, linear_rate
from .surfaces import CONTOUR_POINTS, LAMBDA_MAX, Objective, contour_grid, quadratic, rosenbrock

__all__ = ["CONTOUR_POINTS", "LAMBDA_MAX", "GradientDescent", "Objective", "descend", "quadratic",
           "run"]

SLUG = "gradient_descent"
# A run stops when its distance to the minimum exceeds this multiple of the initial
# distance: it has diverged, and going on would only overflow float64.
DIVERGENCE_FACTOR = 1e6
# The condition numbers of the sweep (steps to the tolerance against kappa).
SWEEP_CONDITION_NUMBERS = (1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0)

OBJECTIVES: dict[str, Callable[[Any], Objective]] = {
    "quadratic": lambda params: quadratic(params.condition_number, params.rotation),
    "rosenbrock": lambda params: rosenbrock(),
}

# Each entry makes a fresh optimizer from the chosen (eta, beta) and the parameters.
OPTIMIZERS: dict[str, Callable[[float, float, Any], Any]] = {
    "gradient_descent": lambda eta, beta, params: GradientDescent(eta),
    "momentum": lambda eta, beta, params: Momentum(eta, beta),
    "rmsprop": lambda eta, beta, params: RMSProp(eta, params.rmsprop_alpha, params.eps),
    "adam": lambda eta, beta, params: Adam(eta, params.beta1, params.beta2, params.eps),
}
ADAPTIVE = ("rmsprop", "adam")  # per-coordinate steps: no linear rate, no "best" rule


@dataclasses.dataclass(frozen=True)
class DescentParams:
    """One surface, one optimizer, its step sizes and where the path starts."""

    objective: str = param("quadratic", doc="Loss surface.", choices=tuple(OBJECTIVES))
    optimizer: str = param("gradient_descent", doc="Update rule.", choices=tuple(OPTIMIZERS))
    condition_number: float = param(
        10.0, doc="Condition number kappa = lambda_max / lambda_min of the quadratic.",
        minimum=1.0, maximum=1000.0, log_scale=True)
    lr_fraction: float = param(
        0.5, doc="Learning rate as a fraction of the stability limit 2 / lambda_max.",
        minimum=0.001, maximum=2.0)
    lr_rule: str = param(
        "fraction", doc="'fraction': eta = lr_fraction * 2 / lambda_max; 'best': the best "
        "fixed rate for the quadratic, 2 / (lambda_max + lambda_min) (lr_fraction ignored), "
        "or with momentum Polyak's best eta and beta (momentum ignored); 'absolute': "
        "eta = learning_rate.", choices=("fraction", "best", "absolute"))
    steps: int = param(100, doc="Number of updates.", minimum=1, maximum=1000)
    start_x: float = param(-4.0, doc="Initial first (shallow) coordinate.",
                           minimum=-10.0, maximum=10.0)
    start_y: float = param(2.0, doc="Initial second (steep) coordinate.",
                           minimum=-10.0, maximum=10.0)
    tolerance: float = param(
        1e-6, doc="Converged when the distance to the minimum is this fraction of the "
        "initial one.", minimum=1e-12, maximum=0.5, log_scale=True)
    learning_rate: float = param(
        0.1, doc="eta when lr_rule is 'absolute'.", minimum=1e-5, maximum=10.0, log_scale=True)
    momentum: float = param(
        0.9, doc="Momentum beta: v <- beta v + g, theta <- theta - eta v.",
        minimum=0.0, maximum=0.999)
    rmsprop_alpha: float = param(
        0.99, doc="RMSProp's decay of the mean square: s <- alpha s + (1 - alpha) g^2.",
        minimum=0.0, maximum=0.9999)
    beta1: float = param(0.9, doc="Adam's decay of the mean gradient.",
                         minimum=0.0, maximum=0.999)
    beta2: float = param(0.999, doc="Adam's decay of the mean square gradient.",
                         minimum=0.0, maximum=0.99999)
    eps: float = param(1e-8, doc="RMSProp's and Adam's eps, added to the root mean square.",
                       minimum=1e-12, maximum=1.0, log_scale=True)
    rotation: float = param(
        0.0, doc="Angle in degrees by which the quadratic's axes are turned.",
        minimum=0.0, maximum=90.0)
    sweep: bool = param(
        False, doc="Also count the steps to the tolerance on quadratics with kappa from 1 "
        "to 1000 (same optimizer, rule, rotation, start and steps).")

    def check(self) -> dict[str, FieldError]:
        """Refuse a start at the minimum, and a best rule for per-coordinate optimizers."""
        minimum = OBJECTIVES[self.objective](self).minimum
        if self.start_x == minimum[0] and self.start_y == minimum[1]:
            where = f"({minimum[0]:g}, {minimum[1]:g})"
            return {"start_y": FieldError("inconsistent", {
                "reason": f"The start must differ from the minimum {where}."})}
        if self.lr_rule == "best" and self.optimizer in ADAPTIVE:
            return {"lr_rule": FieldError("inconsistent", {
                "reason": "RMSProp and Adam have no best fixed rate; use 'absolute'."})}
        return {}


@dataclasses.dataclass(frozen=True)
class DescentResult:
    """The path, loss and distance at every step, and what they amount to."""

    params: DescentParams
    seed: int
    learning_rate: float
    momentum: float  # beta of the heavy ball; 0 for every other optimizer
    curvatures: np.ndarray  # (2,) smallest first
    minimum: np.ndarray  # (2,) theta*
    path: np.ndarray  # (steps run + 1, 2): theta_0 .. theta_T
    losses: np.ndarray  # (steps run + 1,)
    distances: np.ndarray  # (steps run + 1,) ||theta_t - theta*||
    steep_coordinates: np.ndarray  # (steps run + 1,) component along the steep direction
    contour_x: np.ndarray  # (CONTOUR_POINTS,), see surfaces.contour_grid
    contour_y: np.ndarray  # (CONTOUR_POINTS,)
    contour_loss: np.ndarray  # (CONTOUR_POINTS, CONTOUR_POINTS), rows follow y
    sweep_steps: tuple[int | None, ...] | None  # per SWEEP_CONDITION_NUMBERS, if asked

    @property
    def diverged(self) -> bool:
        return bool(self.distances[-1] > self.distances[0])

    @property
    def divergence_step(self) -> int | None:
        """Return the step at which the run was stopped for diverging, if it was."""
        stopped = self.distances[-1] > DIVERGENCE_FACTOR * self.distances[0]
        return len(self.distances) - 1 if stopped else None

    @property
    def steps_to_tolerance(self) -> int | None:
        reached = np.flatnonzero(self.distances <= self.params.tolerance * self.distances[0])
        return int(reached[0]) if reached.size else None

    @property
    def outcome(self) -> str:
        """Return "converged" (tolerance reached), "diverged" or "unfinished"."""
        if self.steps_to_tolerance is not None:
            return "converged"
        return "diverged" if self.diverged else "unfinished"

    @property
    def steep_sign_changes(self) -> float:
        """Return the share of steps whose update flips the sign of the steep coordinate.

        Only steps that start and end off zero count: a coordinate that has reached zero
        (or underflowed to it, long after converging) has no sign left to flip.
        """
        signs = np.sign(self.steep_coordinates)
        products = signs[1:] * signs[:-1]
        counted = products != 0
        return float(np.mean(products[counted] < 0)) if counted.any() else 0.0

    @property
    def predicted_rate(self) -> float | None:
        """Return the distance's factor per step near the minimum, for a linear iteration.

        Gradient descent: max_i |1 - eta lambda_i|; momentum: the heavy ball's spectral
        radius (:func:`optimizers.linear_rate`); RMSProp and Adam: None (their step is not
        a fixed linear map of the gradient).
        """
        if self.params.optimizer in ADAPTIVE:
            return None
        return linear_rate(self.learning_rate, self.momentum, self.curvatures)

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON types only; inf and NaN become None."""
        lambda_min, lambda_max = (float(c) for c in self.curvatures)
        return {
            **result_header(SLUG, self.params, self.seed),
            "learning_rate": self.learning_rate,
            "momentum": self.momentum,
            "minimum": [float(v) for v in self.minimum],
            "lambda_min": lambda_min,
            "lambda_max": lambda_max,
            "critical_learning_rate": 2.0 / lambda_max,
            "best_learning_rate": 2.0 / (lambda_max + lambda_min),
            "predicted_rate": self.predicted_rate,
            "steps": list(range(len(self.losses))),
            "path": [finite_or_none(point) for point in self.path],
            "losses": finite_or_none(self.losses),
            "distances": finite_or_none(self.distances),
            "final_distance_ratio": finite_or_none([self.distances[-1] / self.distances[0]])[0],
            "steep_sign_changes": self.steep_sign_changes,
            "steps_to_tolerance": self.steps_to_tolerance,
            "outcome": self.outcome,
            "diverged": self.diverged,
            "divergence_step": self.divergence_step,
            "contour": {
                "x": finite_or_none(self.contour_x),
                "y": finite_or_none(self.contour_y),
                "loss": [finite_or_none(row) for row in self.contour_loss],
            },
            "sweep": None if self.sweep_steps is None else {
                "condition_numbers": list(SWEEP_CONDITION_NUMBERS),
                "steps_to_tolerance": list(self.sweep_steps),
            },
        }


def descend(objective: Objective, optimizer, start: np.ndarray, steps: int) -> np.ndarray:
    """Return the path theta_0 .. theta_T, stopped early when it runs away (divergence)."""
    path = [start.astype(np.float64)]
    limit = DIVERGENCE_FACTOR * float(np.linalg.norm(start - objective.minimum))
    theta = path[0]
    for _ in range(steps):
        theta = theta + optimizer.update(objective.gradient(theta))
        path.append(theta)
        if np.linalg.norm(theta - objective.minimum) > limit:
            break
    return np.array(path)  # (steps run + 1, 2)


def choose_step_sizes(params: DescentParams, curvatures: np.ndarray) -> tuple[float, float]:
    """Return (eta, beta) from the curvatures at the minimum, as ``lr_rule`` says.

    beta is the momentum coefficient, 0 for every optimizer but momentum.
    """
    beta = params.momentum if params.optimizer == "momentum" else 0.0
    if params.lr_rule == "absolute":
        return params.learning_rate, beta
    if params.lr_rule == "best":
        if params.optimizer == "momentum":
            return best_momentum(curvatures)
        return 2.0 / float(curvatures.max() + curvatures.min()), beta
    return params.lr_fraction * 2.0 / float(curvatures.max()), beta


def start_of(params: DescentParams) -> np.ndarray:
    return np.array([params.start_x, params.start_y])


def descend_with(params: DescentParams, objective: Objective) -> tuple[np.ndarray, float, float]:
    """Return the path of ``params``' optimizer on ``objective``, with its eta and beta."""
    learning_rate, momentum = choose_step_sizes(params, objective.curvatures)
    optimizer = OPTIMIZERS[params.optimizer](learning_rate, momentum, params)
    with np.errstate(all="ignore"):
        path = descend(objective, optimizer, start_of(params), params.steps)
    return path, learning_rate, momentum


def sweep_condition_numbers(params: DescentParams) -> tuple[int | None, ...]:
    """Return the steps to the tolerance on the quadratic for each sweep kappa."""
    counts = []
    for kappa in SWEEP_CONDITION_NUMBERS:
        path = descend_with(params, quadratic(kappa, params.rotation))[0]
        distances = np.linalg.norm(path, axis=1)
        reached = np.flatnonzero(distances <= params.tolerance * distances[0])
        counts.append(int(reached[0]) if reached.size else None)
    return tuple(counts)


def run(params: DescentParams, seed: int) -> DescentResult:
    """Descend from the start for ``steps`` updates (the seed is recorded, not used)."""
    objective = OBJECTIVES[params.objective](params)
    path, learning_rate, momentum = descend_with(params, objective)
    with np.errstate(all="ignore"):
        losses = objective.loss(path)
    distances = np.linalg.norm(path - objective.minimum, axis=1)
    steep = (path - objective.minimum) @ objective.steep_direction
    x, y, contour_loss = contour_grid(objective, start_of(params))
    sweep = sweep_condition_numbers(params) if params.sweep else None
    return DescentResult(params, seed, learning_rate, momentum, objective.curvatures,
                         objective.minimum, path,
                         losses, distances, steep, x, y, contour_loss, sweep)


SIMULATION = Simulation(
    slug=SLUG,
    title="Gradient descent and its optimizers",
    params_cls=DescentParams,
    run=run,
)
