"""Gradient clipping as torch.nn.utils does it, and the angle it turns the step by.

A list of gradient arrays (one per parameter) is one long vector g:

- ``norm`` (clip_grad_norm_): scale = threshold / (||g|| + 1e-6); if scale < 1, every
  gradient is multiplied by it. The step shrinks and keeps its direction;
- ``value`` (clip_grad_value_): every entry is clipped to [-threshold, threshold]. The
  large entries are cut and the small ones kept, so the step turns towards the small ones.

:func:`step_angle` measures the turn: the angle between the clipped gradient and the
true one, 0 for norm clipping (up to round-off) and positive once value clipping cuts
entries of unequal magnitude.
"""

from __future__ import annotations

import math

import numpy as np

CLIPPING = ("none", "norm", "value")
NORM_CLIP_EPS = 1e-6  # torch's clip_grad_norm_ adds it to the norm


def global_norm(grads: list[np.ndarray]) -> float:
    """Return sqrt(sum ||g||_F^2) over every gradient (inf when a square overflows)."""
    return math.sqrt(sum(float(np.vdot(grad, grad)) for grad in grads))


def clip_gradients(
    grads: list[np.ndarray], total_norm: float, clipping: str, threshold: float
) -> list[np.ndarray]:
    """Return the gradients after the clipping rule (new arrays only where they change)."""
    if clipping == "norm":
        scale = threshold / (total_norm + NORM_CLIP_EPS)
        return [grad * scale for grad in grads] if scale < 1.0 else grads
    if clipping == "value":
        return [np.clip(grad, -threshold, threshold) for grad in grads]
    return grads


def step_angle(grads: list[np.ndarray], clipped: list[np.ndarray]) -> float:
    """Return the angle in degrees between the clipped gradient and the true one.

    With unit vectors u and v, the angle is 2 atan2(||u - v||, ||u + v||) (Kahan's form):
    arccos(u . v) would lose half the digits near 0, where norm clipping sits, and
    report round-off of 1e-16 as an angle of 1e-6 degrees. NaN when either vector is
    zero or not finite.
    """
    if clipped is grads:
        return 0.0
    true_norm, clipped_norm = global_norm(grads), global_norm(clipped)
    if not (0 < true_norm < math.inf and 0 < clipped_norm < math.inf):
        return math.nan
    difference = global_norm([a / true_norm - b / clipped_norm
                              for a, b in zip(grads, clipped, strict=True)])
    total = global_norm([a / true_norm + b / clipped_norm
                         for a, b in zip(grads, clipped, strict=True)])
    return math.degrees(2.0 * math.atan2(difference, total))
