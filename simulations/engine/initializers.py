"""Weight initialization schemes, with the variance each one targets.

Layout, fixed for the whole engine: a layer's weight matrix W has shape
(fan_in, fan_out) and maps a batch of row vectors, h_next = f(h @ W + b), so
fan_in = W.shape[0]. (torch's nn.Linear stores the transpose, (fan_out, fan_in).)
Biases start at zero under every scheme.

Schemes, with the variance Var[w] of every entry (std = sqrt(Var[w])):

- ``normal``: N(0, init_std^2). ``init_std`` is a standard deviation, not a variance.
- ``glorot_uniform``: U(-a, a), a = sqrt(6 / (fan_in + fan_out)); Var = 2 / (fan_in + fan_out)
  (Glorot & Bengio 2010, their "normalized initialization").
- ``glorot_normal``: N(0, 2 / (fan_in + fan_out)), untruncated (as torch's xavier_normal_).
- ``he_normal``: N(0, gain^2 / fan_in) with gain = sqrt(2): Var = 2 / fan_in
  (He et al. 2015, fan_in mode).
- ``he_uniform``: U(-b, b), b = gain * sqrt(3 / fan_in) = sqrt(6 / fan_in); Var = 2 / fan_in.

The He gain is sqrt(2) whatever the activation, leaky ReLU included: the scheme is a
property of the weights, so a lesson can pair any scheme with any activation. (torch's
kaiming_*_(nonlinearity="leaky_relu", a=0.01) uses sqrt(2 / (1 + 0.01^2)), smaller by
0.005%, far below what any simulation here can resolve.)
"""

from __future__ import annotations

import math

import numpy as np

SCHEMES = ("normal", "glorot_uniform", "glorot_normal", "he_normal", "he_uniform")
HE_GAIN = math.sqrt(2.0)


def weight_variance(scheme: str, fan_in: int, fan_out: int, init_std: float = 1.0) -> float:
    """Return Var[w] that ``scheme`` gives each entry, for predictions and tests."""
    if scheme == "normal":
        return init_std**2
    if scheme in ("glorot_uniform", "glorot_normal"):
        return 2.0 / (fan_in + fan_out)
    if scheme in ("he_normal", "he_uniform"):
        return HE_GAIN**2 / fan_in
    raise ValueError(f"unknown init scheme {scheme!r}")


def initialize_weights(
    scheme: str,
    fan_in: int,
    fan_out: int,
    rng: np.random.Generator,
    init_std: float = 1.0,
) -> np.ndarray:
    """Draw a (fan_in, fan_out) weight matrix; uniform schemes use U(-r, r), r = sqrt(3 Var)."""
    variance = weight_variance(scheme, fan_in, fan_out, init_std)
    if scheme.endswith("_uniform"):
        limit = math.sqrt(3.0 * variance)  # Var[U(-r, r)] = r^2 / 3
        return rng.uniform(-limit, limit, (fan_in, fan_out))
    return math.sqrt(variance) * rng.standard_normal((fan_in, fan_out))


def initialize_network(
    scheme: str,
    sizes: list[int],
    rng: np.random.Generator,
    init_std: float = 1.0,
) -> list[np.ndarray]:
    """Draw one weight matrix per consecutive pair of ``sizes``, first layer first."""
    return [
        initialize_weights(scheme, fan_in, fan_out, rng, init_std)
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True)
    ]
