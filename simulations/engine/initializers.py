"""Weight initialization schemes, with the variance each one targets.

Layout, fixed for the whole engine: a layer's weight matrix W has shape
(fan_in, fan_out) and maps a batch of row vectors, h_next = f(h @ W + b), so
fan_in = W.shape[0]. (torch's nn.Linear stores the transpose, (fan_out, fan_in).)
Biases start at zero under every scheme but ``pytorch_default``.

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
0.005%, far below what any simulation here can resolve.) A caller that wants torch's
gain passes ``he_gain=leaky_relu_gain(a)`` = sqrt(2 / (1 + a^2)).

Two more schemes, offered by the MLP simulations only (MLP_SCHEMES; SCHEMES, which
other simulations enumerate, keeps its five):

- ``pytorch_default``: U(-1/sqrt(fan_in), 1/sqrt(fan_in)), Var = 1 / (3 fan_in), what
  torch's nn.Linear draws for its weight (and, in :func:`draw_biases`, its bias);
- ``orthogonal``: a Haar-random matrix with orthonormal columns (W^T W = I) when
  fan_in >= fan_out, orthonormal rows (W W^T = I) otherwise, as torch's orthogonal_;
  mean square 1 / max(fan_in, fan_out) (Saxe et al. 2014).

Every scheme accepts a ``gain`` that multiplies the drawn matrix (Var times gain^2).
"""

from __future__ import annotations

import math

import numpy as np

SCHEMES = ("normal", "glorot_uniform", "glorot_normal", "he_normal", "he_uniform")
MLP_SCHEMES = (*SCHEMES, "pytorch_default", "orthogonal")
HE_GAIN = math.sqrt(2.0)


def leaky_relu_gain(slope: float) -> float:
    """Return He's gain sqrt(2 / (1 + a^2)) for a leaky ReLU of slope a (a = 0: ReLU's)."""
    return math.sqrt(2.0 / (1.0 + slope**2))


def he_gain(gain_for: str, slope: float) -> float:
    """Return the He gain for ``gain_for``: "relu" sqrt(2), "leaky_relu" sqrt(2 / (1 + a^2))."""
    return leaky_relu_gain(slope) if gain_for == "leaky_relu" else HE_GAIN


def weight_variance(
    scheme: str,
    fan_in: int,
    fan_out: int,
    init_std: float = 1.0,
    *,
    he_gain: float = HE_GAIN,
) -> float:
    """Return Var[w] (the mean square, for orthogonal) that ``scheme`` gives each entry."""
    if scheme == "normal":
        return init_std**2
    if scheme in ("glorot_uniform", "glorot_normal"):
        return 2.0 / (fan_in + fan_out)
    if scheme in ("he_normal", "he_uniform"):
        return he_gain**2 / fan_in
    if scheme == "pytorch_default":
        return 1.0 / (3.0 * fan_in)  # Var[U(-a, a)] = a^2 / 3 with a = 1/sqrt(fan_in)
    if scheme == "orthogonal":
        return 1.0 / max(fan_in, fan_out)  # ||W||_F^2 = min(fan_in, fan_out)
    raise ValueError(f"unknown init scheme {scheme!r}")


def draw_orthogonal(rng: np.random.Generator, rows: int, cols: int) -> np.ndarray:
    """Return a Haar-random (rows, cols) matrix with orthonormal columns or rows."""
    tall = rng.standard_normal((max(rows, cols), min(rows, cols)))
    q, r = np.linalg.qr(tall)
    q *= np.sign(np.diag(r))  # fix QR's arbitrary signs so Q is Haar (Mezzadri 2007)
    return q if rows >= cols else q.T


def initialize_weights(
    scheme: str,
    fan_in: int,
    fan_out: int,
    rng: np.random.Generator,
    init_std: float = 1.0,
    *,
    gain: float = 1.0,
    he_gain: float = HE_GAIN,
) -> np.ndarray:
    """Draw a (fan_in, fan_out) weight matrix; uniform schemes use U(-r, r), r = sqrt(3 Var).

    ``gain`` multiplies the result (skipped at 1, so default draws are bit for bit those
    of earlier versions).
    """
    if scheme == "orthogonal":
        weights = draw_orthogonal(rng, fan_in, fan_out)
    else:
        variance = weight_variance(scheme, fan_in, fan_out, init_std, he_gain=he_gain)
        if scheme.endswith("_uniform") or scheme == "pytorch_default":
            limit = math.sqrt(3.0 * variance)  # Var[U(-r, r)] = r^2 / 3
            weights = rng.uniform(-limit, limit, (fan_in, fan_out))
        else:
            weights = math.sqrt(variance) * rng.standard_normal((fan_in, fan_out))
    if gain != 1.0:
        weights *= gain
    return weights


def initialize_network(
    scheme: str,
    sizes: list[int],
    rng: np.random.Generator,
    init_std: float = 1.0,
    *,
    gain: float = 1.0,
    he_gain: float = HE_GAIN,
) -> list[np.ndarray]:
    """Draw one weight matrix per consecutive pair of ``sizes``, first layer first."""
    return [
        initialize_weights(scheme, fan_in, fan_out, rng, init_std, gain=gain, he_gain=he_gain)
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True)
    ]


def draw_biases(scheme: str, sizes: list[int], rng: np.random.Generator) -> list[np.ndarray]:
    """Return one bias per layer of ``sizes``: U(-1/sqrt(fan_in), ..) for pytorch_default
    (as nn.Linear), zeros under every other scheme."""
    if scheme != "pytorch_default":
        return [np.zeros(fan_out) for fan_out in sizes[1:]]
    return [
        rng.uniform(-1.0 / math.sqrt(fan_in), 1.0 / math.sqrt(fan_in), fan_out)
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True)
    ]
