"""Gradient descent on a two-parameter loss surface: the path, the loss and the verdict.

The run is built from two replaceable parts, so that other surfaces (Rosenbrock's
valley) and other optimizers (momentum, RMSProp, Adam) are a new entry in
:data:`OBJECTIVES` or :data:`OPTIMIZERS` and a new choice of a parameter, not a rewrite:

- an :class:`Objective`: the loss and its gradient (vectorized over points, so the
  plot's contour grid costs one call), its minimum, and the curvatures (Hessian
  eigenvalues) at the minimum, from which the learning rate is scaled;
- an optimizer: an object made per run (so it may keep state such as a velocity) whose
  ``update(gradient)`` returns the step to add to the parameters.

Only the quadratic bowl and plain gradient descent exist today:

    L(theta) = 1/2 theta^T A theta,   A = diag(lambda_min, lambda_max),
    lambda_max = 1,  lambda_min = 1 / condition_number,
    theta <- theta - eta grad L(theta) = (I - eta A) theta.

The shallow direction is the first coordinate (drawn horizontally), the steep one the
second. The learning rate is given as a fraction of the stability limit 2 / lambda_max,
eta = lr_fraction * 2 / lambda_max (or, with lr_rule = "best", the best fixed rate), so
lr_fraction < 1 converges, 1/2 < lr_fraction < 1 converges while the steep coordinate
changes sign at every step, lr_fraction > 1 diverges. The best fixed rate,
eta = 2 / (lambda_max + lambda_min), is the fraction kappa / (kappa + 1) and shrinks the
distance to the minimum by (kappa - 1) / (kappa + 1) per step.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np

from .core import FieldError, Simulation, finite_or_none, param, result_header

SLUG = "gradient_descent"
LAMBDA_MAX = 1.0
# A run stops when its distance to the minimum exceeds this multiple of the initial
# distance: it has diverged, and going on would only overflow float64.
DIVERGENCE_FACTOR = 1e6
CONTOUR_POINTS = 61  # per side of the grid of loss values drawn as contours


@dataclasses.dataclass(frozen=True)
class Objective:
    """A loss surface in two parameters, with what the engine needs to know about it."""

    name: str
    loss: Callable[[np.ndarray], np.ndarray]  # (..., 2) -> (...)
    gradient: Callable[[np.ndarray], np.ndarray]  # (..., 2) -> (..., 2)
    minimum: np.ndarray  # (2,)
    curvatures: np.ndarray  # Hessian eigenvalues at the minimum, smallest first
    steep_direction: np.ndarray  # unit eigenvector of the largest curvature


def quadratic(condition_number: float) -> Objective:
    """Return the bowl 1/2 theta^T diag(lambda_max / kappa, lambda_max) theta."""
    curvatures = np.array([LAMBDA_MAX / condition_number, LAMBDA_MAX])

    def loss(theta: np.ndarray) -> np.ndarray:
        return 0.5 * (theta**2 @ curvatures)

    def gradient(theta: np.ndarray) -> np.ndarray:
        return theta * curvatures

    return Objective("quadratic", loss, gradient, np.zeros(2), curvatures, np.array([0.0, 1.0]))


OBJECTIVES: dict[str, Callable[[Any], Objective]] = {
    "quadratic": lambda params: quadratic(params.condition_number),
}


class GradientDescent:
    """theta <- theta - eta * grad: no state, the step is the scaled negative gradient."""

    def __init__(self, learning_rate: float):
        self.learning_rate = learning_rate

    def update(self, gradient: np.ndarray) -> np.ndarray:
        return -self.learning_rate * gradient


OPTIMIZERS: dict[str, Callable[[float, Any], Any]] = {
    "gradient_descent": lambda learning_rate, params: GradientDescent(learning_rate),
}


@dataclasses.dataclass(frozen=True)
class DescentParams:
    """One surface, one optimizer, one learning rate and where the path starts."""

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
        "fixed rate for the quadratic, 2 / (lambda_max + lambda_min) (lr_fraction ignored).",
        choices=("fraction", "best"))
    steps: int = param(100, doc="Number of updates.", minimum=1, maximum=1000)
    start_x: float = param(-4.0, doc="Initial first (shallow) coordinate.",
                           minimum=-10.0, maximum=10.0)
    start_y: float = param(2.0, doc="Initial second (steep) coordinate.",
                           minimum=-10.0, maximum=10.0)
    tolerance: float = param(
        1e-6, doc="Converged when the distance to the minimum is this fraction of the "
        "initial one.", minimum=1e-12, maximum=0.5, log_scale=True)

    def check(self) -> dict[str, FieldError]:
        """Refuse a start at the minimum: there is no path and no distance to shrink."""
        if self.start_x == 0 and self.start_y == 0:
            return {"start_y": FieldError("inconsistent", {
                "reason": "The start must differ from the minimum (0, 0)."})}
        return {}


@dataclasses.dataclass(frozen=True)
class DescentResult:
    """The path, loss and distance at every step, and what they amount to."""

    params: DescentParams
    seed: int
    learning_rate: float
    curvatures: np.ndarray  # (2,) smallest first
    path: np.ndarray  # (steps run + 1, 2): theta_0 .. theta_T
    losses: np.ndarray  # (steps run + 1,)
    distances: np.ndarray  # (steps run + 1,) ||theta_t - theta*||
    steep_coordinates: np.ndarray  # (steps run + 1,) component along the steep direction
    contour_x: np.ndarray  # (CONTOUR_POINTS,)
    contour_y: np.ndarray  # (CONTOUR_POINTS,)
    contour_loss: np.ndarray  # (CONTOUR_POINTS, CONTOUR_POINTS), rows follow y

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
    def predicted_rate(self) -> float:
        """Return max_i |1 - eta lambda_i|: the distance's factor per step near the minimum."""
        return float(np.max(np.abs(1.0 - self.learning_rate * self.curvatures)))

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON types only; inf and NaN become None."""
        lambda_min, lambda_max = (float(c) for c in self.curvatures)
        return {
            **result_header(SLUG, self.params, self.seed),
            "learning_rate": self.learning_rate,
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


def contour_grid(objective: Objective, start: np.ndarray) -> tuple[np.ndarray, ...]:
    """Return a square grid around the minimum that contains the start, and its losses."""
    half = 1.25 * float(np.max(np.abs(start - objective.minimum)))
    x = objective.minimum[0] + np.linspace(-half, half, CONTOUR_POINTS)
    y = objective.minimum[1] + np.linspace(-half, half, CONTOUR_POINTS)
    grid = np.stack(np.meshgrid(x, y), axis=-1)  # (y, x, 2)
    return x, y, objective.loss(grid)


def choose_learning_rate(params: DescentParams, curvatures: np.ndarray) -> float:
    """Return eta from the curvatures at the minimum, as ``lr_rule`` says."""
    if params.lr_rule == "best":
        return 2.0 / float(curvatures.max() + curvatures.min())
    return params.lr_fraction * 2.0 / float(curvatures.max())


def run(params: DescentParams, seed: int) -> DescentResult:
    """Descend from the start for ``steps`` updates (the seed is recorded, not used)."""
    objective = OBJECTIVES[params.objective](params)
    learning_rate = choose_learning_rate(params, objective.curvatures)
    optimizer = OPTIMIZERS[params.optimizer](learning_rate, params)
    start = np.array([params.start_x, params.start_y])
    with np.errstate(all="ignore"):
        path = descend(objective, optimizer, start, params.steps)
        losses = objective.loss(path)
    distances = np.linalg.norm(path - objective.minimum, axis=1)
    steep = (path - objective.minimum) @ objective.steep_direction
    x, y, contour_loss = contour_grid(objective, start)
    return DescentResult(params, seed, learning_rate, objective.curvatures, path, losses,
                         distances, steep, x, y, contour_loss)


SIMULATION = Simulation(
    slug=SLUG,
    title="Gradient descent and the learning rate",
    params_cls=DescentParams,
    run=run,
)
