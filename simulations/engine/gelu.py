"""GELU, x Phi(x) with Phi the standard normal CDF, and its derivative, in closed form.

    gelu(x)  = x Phi(x),             Phi(x) = (1 + erf(x / sqrt 2)) / 2
    gelu'(x) = Phi(x) + x phi(x),    phi(x) = exp(-x^2 / 2) / sqrt(2 pi)

This is the exact GELU of Hendrycks & Gimpel (2016) (torch's approximate="none"), not
its tanh approximation. numpy has no erf, so the C library's erfc (accurate to within an ulp
or so) is applied entry by entry, as math.erfc: the activations simulation evaluates
at most a few thousand points.

Unlike the table of :mod:`.activations`, the derivative cannot be written from the output
a = gelu(x) (gelu is not one-to-one below zero), so GELU is drawn by the activations
simulation but is not offered to the networks, whose backward passes keep only outputs.

gelu'' = phi(x) (2 - x^2) vanishes at x = +-sqrt 2: the derivative peaks there at
Phi(sqrt 2) + sqrt 2 phi(sqrt 2), about 1.13 (above 1, unlike every other activation here),
and dips to its minimum 1 - that peak at -sqrt 2 (gelu'(-x) = 1 - gelu'(x)).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .core import finite_or_none

ARGMAX_SLOPE = math.sqrt(2.0)
_erfc = np.frompyfunc(math.erfc, 1, 1)


def normal_cdf(x: np.ndarray) -> np.ndarray:
    """Return Phi(x) = erfc(-x / sqrt 2) / 2 entry by entry.

    erfc rather than 1 + erf: for x far below zero, 1 + erf(x / sqrt 2) cancels and loses
    every digit of a tiny Phi, while erfc keeps them.
    """
    scaled = np.negative(np.asarray(x, dtype=np.float64)) / math.sqrt(2.0)
    return 0.5 * np.asarray(_erfc(scaled), dtype=np.float64)


def normal_pdf(x: np.ndarray) -> np.ndarray:
    return np.exp(-0.5 * np.square(x)) / math.sqrt(2.0 * math.pi)


def gelu(x: np.ndarray) -> np.ndarray:
    return np.asarray(x, dtype=np.float64) * normal_cdf(x)


def gelu_derivative(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    return normal_cdf(x) + x * normal_pdf(x)


MAX_SLOPE = float(gelu_derivative(np.array(ARGMAX_SLOPE)))  # 1.1289...
MIN_SLOPE = float(gelu_derivative(np.array(-ARGMAX_SLOPE)))  # -0.1289...


def describe(values: np.ndarray, slopes: np.ndarray) -> dict[str, Any]:
    """Return GELU's curves and its slope's extremes: a peak above 1, a dip below 0.

    GELU neither saturates on both sides nor has a flat region: its slope tends to 0 only
    as x goes to -infinity, and is negative between -infinity and about -0.75.
    """
    return {
        "values": finite_or_none(values),
        "derivatives": finite_or_none(slopes),
        "max_derivative": MAX_SLOPE,
        "argmax_derivative": ARGMAX_SLOPE,
        "min_derivative": MIN_SLOPE,
        "argmin_derivative": -ARGMAX_SLOPE,
        "max_derivative_on_grid": float(slopes.max()),
        "inactive_kind": "smooth",
        "inactive_below": None,
        "inactive_above": None,
        "inactive_max_derivative": None,
        "inactive_fraction_of_grid": 0.0,
    }
