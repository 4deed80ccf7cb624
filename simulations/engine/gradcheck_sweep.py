"""How the central difference's error depends on its step epsilon: the V of a gradient check.

Along a random unit direction v of all the parameters θ, the loss is a function of one
variable, f(t) = L(θ + t v), whose derivative f'(0) = ∇L(θ) · v backpropagation gives.
For every step ε of a fixed grid (:data:`EPSILONS`), the central difference

    d(ε) = (f(ε) - f(-ε)) / (2 ε)

is compared with it, as a relative error |d(ε) - f'(0)| / max(|d(ε)|, |f'(0)|). Two
errors add up (the closed-form model, e.g. Nocedal & Wright, Numerical Optimization,
section 8.1):

- truncation: Taylor's theorem gives d(ε) - f'(0) = f'''(0) ε² / 6 + O(ε⁴), which falls
  as ε² when ε shrinks;
- rounding: each loss carries a rounding error of about u |f(0)|, with u the machine
  epsilon (2^-52 in float64), and the difference divides it by 2ε: about u |f(0)| / ε,
  which rises as 1/ε.

Their sum is smallest at ε* = (3 u |f(0)| / |f'''(0)|)^(1/3), near the cube root of u
when |f(0)| and |f'''(0)| are of one order. f'''(0) = (∇L · v)'' is computed by a
central second difference of backpropagated directional derivatives, with a step
(:data:`THIRD_DERIVATIVE_STEP`) large enough for rounding not to matter there.

One direction instead of every parameter keeps the sweep cheap (two losses per ε); it
is what ``torch.autograd.gradcheck(fast_mode=True)`` checks, and the error per tensor
of :mod:`.gradcheck` behaves the same way with ε.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .core import finite_or_none

# Four steps per decade, from 1e-11 to 1e-1 (the range the gradient check's ε accepts,
# and a decade more below).
EPSILONS = np.logspace(-11, -1, 41)
MACHINE_EPSILON = float(np.finfo(np.float64).eps)  # u = 2^-52
THIRD_DERIVATIVE_STEP = 1e-3
# The branches whose slopes are fitted: a decade away from the minimum at least, and
# the truncation branch below ε = 1e-2, where the ε⁴ term is still negligible. The bottom
# of the V is flat and noisy, so its measured minimum can fall one or two decades from
# the model's; each branch starts a decade beyond both minima, so that neither fit takes
# in the flat bottom (which would pull the truncation slope from 2 towards 1). The
# truncation branch starts at 10^-2.5 at the latest, to keep at least three points.
BRANCH_GAP = 10.0
TRUNCATION_TOP = 1e-2
TRUNCATION_LATEST_START = 10**-2.5
# Ten times a grid step is another grid step up to the last bit: compare with some slack.
GRID_SLACK_BELOW, GRID_SLACK_ABOVE = 1 - 1e-9, 1 + 1e-9


@dataclasses.dataclass(frozen=True)
class EpsilonSweep:
    """The measured relative error at every step of the grid, and the model's two terms."""

    epsilons: np.ndarray  # (steps,)
    errors: np.ndarray  # (steps,) measured relative error
    loss: float  # f(0)
    derivative: float  # f'(0), by backpropagation
    third_derivative: float  # f'''(0)

    @property
    def truncation(self) -> np.ndarray:
        """The model's truncation error, relative: |f'''| ε² / (6 |f'|)."""
        return abs(self.third_derivative) * self.epsilons**2 / (6 * abs(self.derivative))

    @property
    def rounding(self) -> np.ndarray:
        """The model's rounding error, relative: u |f| / (ε |f'|)."""
        return MACHINE_EPSILON * abs(self.loss) / (self.epsilons * abs(self.derivative))

    @property
    def best_epsilon(self) -> float:
        """The step of the grid with the smallest measured error."""
        return float(self.epsilons[int(np.argmin(self.errors))])

    @property
    def model_best_epsilon(self) -> float:
        """ε* = (3 u |f| / |f'''|)^(1/3), where the model's two terms add up to the least."""
        return float(np.cbrt(3 * MACHINE_EPSILON * abs(self.loss) / abs(self.third_derivative)))

    def _minima(self) -> tuple[float, float]:
        """The measured and the model's minimum (the measured one twice if the model has none)."""
        model = self.model_best_epsilon
        return self.best_epsilon, model if np.isfinite(model) else self.best_epsilon

    @property
    def truncation_slope(self) -> float:
        """The log-log slope of the measured error on the truncation branch (model: 2)."""
        start = min(BRANCH_GAP * max(self._minima()), TRUNCATION_LATEST_START)
        return _slope(self.epsilons, self.errors,
                      (self.epsilons >= start * GRID_SLACK_BELOW)
                      & (self.epsilons <= TRUNCATION_TOP * GRID_SLACK_ABOVE))

    @property
    def rounding_slope(self) -> float:
        """The log-log slope of the measured error on the rounding branch (model: -1)."""
        return _slope(self.epsilons, self.errors,
                      self.epsilons <= min(self._minima()) / BRANCH_GAP * GRID_SLACK_ABOVE)

    def to_dict(self) -> dict[str, Any]:
        return {
            "epsilons": finite_or_none(self.epsilons),
            "errors": finite_or_none(self.errors),
            "model_truncation": finite_or_none(self.truncation),
            "model_rounding": finite_or_none(self.rounding),
            "loss": finite_or_none([self.loss])[0],
            "derivative": finite_or_none([self.derivative])[0],
            "third_derivative": finite_or_none([self.third_derivative])[0],
            "machine_epsilon": MACHINE_EPSILON,
            "best_epsilon": self.best_epsilon,
            "min_error": finite_or_none([float(np.min(self.errors))])[0],
            "model_best_epsilon": finite_or_none([self.model_best_epsilon])[0],
            "truncation_slope": finite_or_none([self.truncation_slope])[0],
            "rounding_slope": finite_or_none([self.rounding_slope])[0],
        }


def _slope(x: np.ndarray, y: np.ndarray, mask: np.ndarray) -> float:
    """Return the least-squares slope of log10 y against log10 x over ``mask`` (NaN if < 2)."""
    keep = mask & (y > 0)
    if keep.sum() < 2:
        return float("nan")
    return float(np.polyfit(np.log10(x[keep]), np.log10(y[keep]), 1)[0])


def sweep_epsilon(
    parameters: Sequence[np.ndarray],
    direction: Sequence[np.ndarray],
    loss: Callable[[], float],
    directional_derivative: Callable[[], float],
) -> EpsilonSweep:
    """Measure the central difference along ``direction`` at every step of the grid.

    ``loss()`` and ``directional_derivative()`` (∇L · v by backpropagation) read
    ``parameters``, which are moved in place along ``direction`` and restored exactly.
    """
    originals = [p.copy() for p in parameters]

    def at(t: float, measure: Callable[[], float]) -> float:
        for p, o, v in zip(parameters, originals, direction, strict=True):
            np.add(o, t * v, out=p)
        value = measure()
        for p, o in zip(parameters, originals, strict=True):
            p[...] = o
        return value

    center = loss()
    derivative = directional_derivative()
    h = THIRD_DERIVATIVE_STEP
    third = (at(h, directional_derivative) - 2 * derivative
             + at(-h, directional_derivative)) / h**2
    errors = np.empty_like(EPSILONS)
    for index, epsilon in enumerate(EPSILONS):
        estimate = (at(epsilon, loss) - at(-epsilon, loss)) / (2 * epsilon)
        scale = max(abs(estimate), abs(derivative))
        errors[index] = abs(estimate - derivative) / scale if scale > 0 else 0.0
    return EpsilonSweep(EPSILONS.copy(), errors, center, derivative, third)


def random_direction(rng: np.random.Generator, shapes: Sequence[tuple[int, ...]]
                     ) -> list[np.ndarray]:
    """Return a direction of unit norm over all the tensors, uniformly distributed."""
    parts = [rng.standard_normal(shape) for shape in shapes]
    norm = np.sqrt(sum(float(np.sum(part**2)) for part in parts))
    return [part / norm for part in parts]
