"""Input distributions of the feed-forward simulations, each with mean 0 and variance 1.

- ``normal``: x_i ~ N(0, 1) (the default);
- ``uniform``: x_i ~ U(-sqrt(3), sqrt(3)) (Var = 3/3 = 1);
- ``sign``: x_i = +1 or -1 with probability 1/2 each (Rademacher).

Entries are independent, so E[x_i^2] = 1 under all three and only the shape of the
distribution changes; the simulation reports the sample's mean square.
"""

from __future__ import annotations

import math

import numpy as np

INPUT_DISTRIBUTIONS = ("normal", "uniform", "sign")


def draw_inputs(rng: np.random.Generator, distribution: str, shape: tuple[int, ...]) -> np.ndarray:
    """Draw an array of ``shape`` with independent entries of the named distribution."""
    if distribution == "normal":
        return rng.standard_normal(shape)
    if distribution == "uniform":
        limit = math.sqrt(3.0)
        return rng.uniform(-limit, limit, shape)
    if distribution == "sign":
        return 2.0 * rng.integers(0, 2, shape) - 1.0
    raise ValueError(f"unknown input distribution {distribution!r}")
