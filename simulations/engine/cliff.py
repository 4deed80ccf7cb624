"""The cliff of Pascanu, Mikolov & Bengio (2013): a one-unit RNN, its wall, and clipping.

The network has one unit, no input, and two parameters, the recurrent weight w and the
bias b:

    x_t = w sigmoid(x_{t-1}) + b,   t = 1 .. T,   x_0 given,
    L(w, b) = 1/2 (x_T - target)^2.

For w above 4 the map x -> w sigmoid(x) + b has, over a range of b, two stable fixed
points separated by an unstable one, the boundary between their basins of attraction:
x_T ends near the upper fixed point if the unstable one lies below x_0, near the lower
one otherwise. Where the unstable fixed point crosses x_0 (the line
b = x_0 - w sigmoid(x_0)), a tiny change of w or b moves x_T from one to the other:
across a narrow band of the (w, b) plane the loss jumps, a *wall*, and its gradient
there is huge. (The saddle-node bifurcation, where a stable point appears or vanishes,
is another curve; it is the basin boundary that makes the gradient explode.) Gradient
descent that steps onto the wall is thrown far away; clipping the gradient's norm at
``clip_threshold`` bounds every step by learning_rate * clip_threshold, so a step on
the wall stays short and the path stays by it.

Backpropagation through time, with s_t = sigmoid(x_t) and delta_t = dL/dx_t:

    delta_T = x_T - target,   delta_{t-1} = delta_t w s_{t-1} (1 - s_{t-1}),
    dL/dw = sum_t delta_t s_{t-1},   dL/db = sum_t delta_t.

The run draws nothing at random: the seed is recorded, not used. A path stops early
when a parameter or the gradient is no longer finite (``diverged``).
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np

from .activations import sigmoid
from .clipping import CLIPPING, clip_gradients, global_norm, step_angle
from .core import Cost, FieldError, Simulation, finite_or_none, param, result_header

SLUG = "rnn_cliff"
GRID_POINTS = 121  # per side of the grid of loss values drawn under the path
# One descent step costs about as much numpy dispatch as this many grid points: its
# vectors hold one number, so the per-call overhead is all it costs.
STEP_OVERHEAD = 400
MAX_COST = 6_000_000


@dataclasses.dataclass(frozen=True)
class CliffParams:
    """The network, the descent, the clipping rule and the window of the plane drawn."""

    time_steps: int = param(50, doc="Number of time steps T the unit runs.", minimum=2,
                            maximum=100)
    initial_state: float = param(0.5, doc="The state x_0 before the first step.",
                                 minimum=-5.0, maximum=5.0)
    target: float = param(0.7, doc="Target of the last state x_T.", minimum=-5.0, maximum=5.0)
    start_w: float = param(6.0, doc="Recurrent weight w where the descent starts.",
                           minimum=-20.0, maximum=20.0)
    start_b: float = param(-1.5, doc="Bias b where the descent starts.", minimum=-20.0,
                           maximum=20.0)
    learning_rate: float = param(0.05, doc="Gradient descent step size.", minimum=1e-4,
                                 maximum=10.0, log_scale=True)
    descent_steps: int = param(40, doc="Number of gradient descent steps.", minimum=1,
                               maximum=300)
    clipping: str = param("none", doc="Gradient clipping: none, by norm or by value.",
                          choices=CLIPPING)
    clip_threshold: float = param(
        1.0, doc="Largest gradient norm ('norm') or entry magnitude ('value').",
        minimum=1e-3, maximum=1e3, log_scale=True)
    w_min: float = param(2.0, doc="Left edge of the window drawn (w).", minimum=-20.0,
                         maximum=20.0)
    w_max: float = param(10.0, doc="Right edge of the window drawn (w).", minimum=-20.0,
                         maximum=20.0)
    b_min: float = param(-6.0, doc="Bottom edge of the window drawn (b).", minimum=-20.0,
                         maximum=20.0)
    b_max: float = param(1.0, doc="Top edge of the window drawn (b).", minimum=-20.0,
                         maximum=20.0)

    def check(self) -> dict[str, FieldError]:
        """Refuse an empty window and runs that would be slow."""
        if self.w_max <= self.w_min:
            return {"w_max": FieldError("empty_range", {"low": "w_min", "high": "w_max"})}
        if self.b_max <= self.b_min:
            return {"b_max": FieldError("empty_range", {"low": "b_min", "high": "b_max"})}
        error = self.cost().error()
        return {"time_steps": error} if error else {}

    def cost(self) -> Cost:
        """Return the work of a run: the grid and the path, each T steps forward and back."""
        value = self.time_steps * (GRID_POINTS**2 + STEP_OVERHEAD * self.descent_steps)
        return Cost(f"time_steps × ({GRID_POINTS}² + {STEP_OVERHEAD} × descent_steps)",
                    value, MAX_COST, "time_steps")


@dataclasses.dataclass(frozen=True)
class CliffResult:
    """The loss over the window, and the descent path with its gradients and steps."""

    params: CliffParams
    seed: int
    grid_w: np.ndarray  # (GRID_POINTS,)
    grid_b: np.ndarray  # (GRID_POINTS,)
    grid_loss: np.ndarray  # (GRID_POINTS, GRID_POINTS), rows follow b
    path: np.ndarray  # (steps run + 1, 2): (w, b) at every step
    losses: np.ndarray  # (steps run + 1,)
    grad_norms: np.ndarray  # (steps run,) before clipping
    step_lengths: np.ndarray  # (steps run,) ||theta_{k+1} - theta_k||
    clip_angles: np.ndarray  # (steps run,) degrees between clipped and true gradient
    clipped: np.ndarray  # (steps run,) bool: the clipping rule changed the gradient
    diverged: bool

    @property
    def clipped_fraction(self) -> float:
        """Return the share of steps whose gradient the clipping rule changed."""
        return float(np.mean(self.clipped)) if len(self.clipped) else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON types only; inf and NaN become None."""
        return {
            **result_header(SLUG, self.params, self.seed),
            "grid": {
                "w": finite_or_none(self.grid_w),
                "b": finite_or_none(self.grid_b),
                "loss": [finite_or_none(row) for row in self.grid_loss],
            },
            "steps": list(range(len(self.losses))),
            "path": [finite_or_none(point) for point in self.path],
            "losses": finite_or_none(self.losses),
            "grad_norms": finite_or_none(self.grad_norms),
            "step_lengths": finite_or_none(self.step_lengths),
            "clip_angles": finite_or_none(self.clip_angles),
            "largest_grad_norm": _largest(self.grad_norms),
            "largest_step": _largest(self.step_lengths),
            "largest_clip_angle": _largest(self.clip_angles),
            "clipped_fraction": self.clipped_fraction,
            "final_w": finite_or_none(self.path[-1:, 0])[0],
            "final_b": finite_or_none(self.path[-1:, 1])[0],
            "final_loss": finite_or_none(self.losses[-1:])[0],
            "diverged": self.diverged,
        }


def _largest(values: np.ndarray) -> float | None:
    finite = values[np.isfinite(values)]
    return float(finite.max()) if finite.size else None


def loss_and_gradient(
    w: np.ndarray, b: np.ndarray, params: CliffParams
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return L, dL/dw and dL/db at every (w, b) of same-shaped arrays, by BPTT."""
    states = [np.full(np.broadcast_shapes(np.shape(w), np.shape(b)), params.initial_state)]
    squashed = []  # s_{t-1} = sigmoid(x_{t-1}), kept for the backward pass
    for _ in range(params.time_steps):
        squashed.append(sigmoid(states[-1]))
        states.append(w * squashed[-1] + b)
    residual = states[-1] - params.target
    delta = residual  # dL/dx_T
    grad_w = np.zeros_like(delta)
    grad_b = np.zeros_like(delta)
    for s in reversed(squashed):  # s = s_{t-1} while delta = dL/dx_t, t = T .. 1
        grad_w = grad_w + delta * s
        grad_b = grad_b + delta
        delta = delta * w * s * (1.0 - s)
    return 0.5 * residual**2, grad_w, grad_b


def descend(params: CliffParams) -> tuple[np.ndarray, ...]:
    """Return path, losses, gradient norms, step lengths, angles and clipped flags."""
    theta = np.array([params.start_w, params.start_b])
    path, losses, norms, lengths, angles, clipped_flags = [theta], [], [], [], [], []
    for _ in range(params.descent_steps):
        loss, grad_w, grad_b = loss_and_gradient(theta[:1], theta[1:], params)  # (1,) each
        losses.append(float(loss[0]))
        grads = [np.concatenate([grad_w, grad_b])]
        norm = global_norm(grads)
        norms.append(norm)
        if not math.isfinite(norm):
            break
        clipped = clip_gradients(grads, norm, params.clipping, params.clip_threshold)
        angles.append(step_angle(grads, clipped))
        clipped_flags.append(not np.array_equal(clipped[0], grads[0]))
        step = -params.learning_rate * clipped[0]
        theta = theta + step
        path.append(theta)
        lengths.append(global_norm([step]))
        if not np.all(np.isfinite(theta)):
            break
    if len(losses) < len(path):  # the loss where the path ends
        losses.append(float(loss_and_gradient(theta[:1], theta[1:], params)[0][0]))
    return (np.array(path), np.array(losses), np.array(norms), np.array(lengths),
            np.array(angles), np.array(clipped_flags, dtype=bool))


def run(params: CliffParams, seed: int) -> CliffResult:
    """Compute the loss over the window and descend from the start (the seed is unused)."""
    grid_w = np.linspace(params.w_min, params.w_max, GRID_POINTS)
    grid_b = np.linspace(params.b_min, params.b_max, GRID_POINTS)
    with np.errstate(all="ignore"):  # a path thrown far may overflow: an outcome, not a warning
        grid_loss = loss_and_gradient(grid_w[None, :], grid_b[:, None], params)[0]
        path, losses, norms, lengths, angles, clipped = descend(params)
    diverged = not (np.all(np.isfinite(path)) and np.all(np.isfinite(norms)))
    return CliffResult(params, seed, grid_w, grid_b, grid_loss, path, losses, norms, lengths,
                       angles, clipped, diverged)


SIMULATION = Simulation(
    slug=SLUG,
    title="The cliff of a one-unit recurrent network, with and without clipping",
    params_cls=CliffParams,
    run=run,
)
