"""Loss surfaces in two parameters for the descent simulation: a bowl and a valley.

Each surface gives the loss and its gradient, vectorized over points (so a plot's contour
grid costs one call), its minimum, and the curvatures (Hessian eigenvalues) at the
minimum, from which the learning rate is scaled and the linear rate predicted.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np

LAMBDA_MAX = 1.0
# Rosenbrock's valley f(x, y) = (a - x)^2 + b (y - x^2)^2 with the usual constants: the
# minimum is (a, a^2) = (1, 1), where the Hessian [[2 + 8 b a^2, -4 a b], [-4 a b, 2 b]]
# = [[802, -400], [-400, 200]] has eigenvalues about 0.4 and 1002 (kappa about 2500).
ROSENBROCK_A = 1.0
ROSENBROCK_B = 100.0
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
    # Frame drawings on the minimum (a bowl), or on the midpoint of the start and the
    # minimum (a valley, where the other side of the minimum holds nothing to see).
    frame_on_minimum: bool = True


def quadratic(condition_number: float, rotation_degrees: float = 0.0) -> Objective:
    """Return the bowl 1/2 theta^T R diag(lambda_max / kappa, lambda_max) R^T theta.

    R turns the axes by ``rotation_degrees``: at 0 the shallow direction is the first
    coordinate and A is diagonal, the case where per-coordinate step sizes fit exactly.
    """
    curvatures = np.array([LAMBDA_MAX / condition_number, LAMBDA_MAX])
    if rotation_degrees == 0:
        # Kept apart from the rotated formula so that the axis-aligned bowl's numbers stay
        # bit for bit those of the elementwise products (no matrix product round-off).
        def loss(theta: np.ndarray) -> np.ndarray:
            return 0.5 * (theta**2 @ curvatures)

        def gradient(theta: np.ndarray) -> np.ndarray:
            return theta * curvatures

        return Objective("quadratic", loss, gradient, np.zeros(2), curvatures,
                         np.array([0.0, 1.0]))
    angle = np.deg2rad(rotation_degrees)
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    matrix = rotation @ np.diag(curvatures) @ rotation.T  # symmetric

    def rotated_loss(theta: np.ndarray) -> np.ndarray:
        return 0.5 * np.einsum("...i,ij,...j->...", theta, matrix, theta)

    def rotated_gradient(theta: np.ndarray) -> np.ndarray:
        return theta @ matrix

    return Objective("quadratic", rotated_loss, rotated_gradient, np.zeros(2), curvatures,
                     rotation[:, 1])


def rosenbrock(a: float = ROSENBROCK_A, b: float = ROSENBROCK_B) -> Objective:
    """Return Rosenbrock's valley (a - x)^2 + b (y - x^2)^2, minimum (a, a^2)."""

    def loss(theta: np.ndarray) -> np.ndarray:
        x, y = theta[..., 0], theta[..., 1]
        return (a - x) ** 2 + b * (y - x**2) ** 2

    def gradient(theta: np.ndarray) -> np.ndarray:
        x, y = theta[..., 0], theta[..., 1]
        along_valley = y - x**2
        return np.stack([-2 * (a - x) - 4 * b * x * along_valley, 2 * b * along_valley],
                        axis=-1)

    hessian = np.array([[2 + 8 * b * a**2, -4 * b * a], [-4 * b * a, 2 * b]])
    curvatures, vectors = np.linalg.eigh(hessian)  # ascending
    return Objective("rosenbrock", loss, gradient, np.array([a, a**2]), curvatures,
                     vectors[:, 1], frame_on_minimum=False)


def contour_grid(objective: Objective, start: np.ndarray) -> tuple[np.ndarray, ...]:
    """Return a square grid that contains the start and the minimum, and its losses.

    Around the minimum, 1.25 times its largest offset from the start on each side; or,
    when the objective says so, around the midpoint, 0.75 times that offset on each side.
    """
    offset = float(np.max(np.abs(start - objective.minimum)))
    if objective.frame_on_minimum:
        centre, half = objective.minimum, 1.25 * offset
    else:
        centre, half = (start + objective.minimum) / 2, 0.75 * offset
    x = centre[0] + np.linspace(-half, half, CONTOUR_POINTS)
    y = centre[1] + np.linspace(-half, half, CONTOUR_POINTS)
    grid = np.stack(np.meshgrid(x, y), axis=-1)  # (y, x, 2)
    return x, y, objective.loss(grid)
