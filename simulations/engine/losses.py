"""Loss conventions: what L is, its gradient dL/dy, and how one example's gradient scales.

The simulations' results depend on the loss as much as on the network: a batch-mean
loss divides every gradient by B, a half squared error halves it. Each convention here
is a sum or mean over the batch of a per-example loss l_b, and says which, so that a
result can report both the gradient of the batch loss L and the root mean square over
the batch of each example's gradient of its own loss l_b, dl_b/dv_b = PER_EXAMPLE_SCALE
* dL/dv_b for any quantity v_b of example b (exact when examples do not interact, i.e.
without batch norm).

With outputs y (B, k) and targets t (B, k):

- ``half_squared_error``: L = 1/(2B) sum_b ||y_b - t_b||^2 (the default of every
  simulation); l_b = 1/2 ||y_b - t_b||^2, L = mean_b l_b; dL/dy = (y - t) / B.
- ``mean_squared_error``: L = 1/(B k) sum_b ||y_b - t_b||^2, torch's nn.MSELoss() (mean
  over every entry); l_b = ||y_b - t_b||^2 / k, L = mean_b l_b; dL/dy = 2 (y - t) / (B k).
- ``probe``: L = sum_b <g_b, y_b> with a fixed random probe g_b ~ N(0, I/k) per example
  (drawn from the seed, independent of the network), so dL/dy_b = g_b, E||g_b||^2 = 1:
  the backward pass carries a signal of known unit scale, undivided by B, and measures
  the network's backward map itself (l_b = <g_b, y_b>, L = sum_b l_b).
"""

from __future__ import annotations

import numpy as np

LOSSES = ("half_squared_error", "mean_squared_error", "probe")
DEFINITIONS = {
    "half_squared_error": "L = 1/(2B) sum_b ||y_b - t_b||^2 (mean over the batch of "
    "half the squared error)",
    "mean_squared_error": "L = 1/(B k) sum_b ||y_b - t_b||^2 (mean over every entry, "
    "torch's MSELoss)",
    "probe": "L = sum_b <g_b, y_b>, g_b ~ N(0, I/k) fixed per example (dL/dy_b = g_b, "
    "summed over the batch)",
}
# dl_b/dv_b = scale * dL/dv_b: B for the batch means, 1 for the probe's sum.
SUMMED = frozenset({"probe"})


def per_example_scale(loss: str, batch: int) -> int:
    """Return how much larger one example's gradient of its own loss is than dL/dv_b."""
    return 1 if loss in SUMMED else batch


def probe_vectors(targets: np.ndarray) -> np.ndarray:
    """Turn standard-normal draws (B, k) into the probe g ~ N(0, I/k) per example."""
    return targets / np.sqrt(targets.shape[1])


def evaluate(loss: str, outputs: np.ndarray, targets: np.ndarray) -> tuple[float, np.ndarray]:
    """Return (L, dL/dy) for outputs y (B, k); ``targets`` is the probe for ``probe``."""
    batch, units = outputs.shape
    if loss == "probe":
        return float(np.vdot(targets, outputs)), targets.copy()
    residual = outputs - targets  # (batch, outputs)
    squares = float(np.vdot(residual, residual))
    if loss == "half_squared_error":
        return 0.5 * squares / batch, residual / batch
    if loss == "mean_squared_error":
        return squares / (batch * units), residual * (2.0 / (batch * units))
    raise ValueError(f"unknown loss {loss!r}")
