"""Glorot & Bengio (2010): the back-propagated gradient of a tanh net under the
"standard" U(-1/sqrt(n), 1/sqrt(n)) initialization and under the normalized one (their
eq. 16), checked against the mean-field recursion the paper linearizes (computed here
by Gauss-Hermite quadrature, independently of the engine)."""

import functools

import numpy as np

from simulations.engine import mlp
from simulations.engine.core import validate

SEEDS = range(5)
WIDTH, DEPTH = 512, 5
NET = {"depth": DEPTH, "width": WIDTH, "activation": "tanh", "loss": "probe", "batch_size": 64}
# Var[w] and Var[b] of each scheme for a square hidden layer of n units (n Var[w] = 1/3 or 1).
SCHEMES = {
    "pytorch_default": (1 / (3 * WIDTH), 1 / (3 * WIDTH)),
    "glorot_uniform": (2 / (2 * WIDTH), 0.0),
}


def gaussian_mean(f, variance: float) -> float:
    """Return E[f(z)] for z ~ N(0, variance) by 80-point Gauss-Hermite quadrature."""
    nodes, weights = np.polynomial.hermite_e.hermegauss(80)
    return float(weights @ f(np.sqrt(variance) * nodes) / np.sqrt(2 * np.pi))


def mean_field(init: str):
    """Return per layer (E[z_l^2], E[tanh'(z_l)^2]), and E[h_l^2] for l = 0 .. L - 1."""
    var_w, var_b = SCHEMES[init]
    q, squares, slopes, inputs = None, [], [], [1.0]  # E[x^2] = 1
    for _ in range(DEPTH):
        q = WIDTH * var_w * inputs[-1] + var_b
        squares.append(q)
        slopes.append(gaussian_mean(lambda z: (1 - np.tanh(z) ** 2) ** 2, q))
        inputs.append(gaussian_mean(lambda z: np.tanh(z) ** 2, q))
    return squares, slopes, inputs[:-1]


def predicted_dz_ratio(init: str) -> float:
    """Return E||dl/dz_1||^2 / E||dl/dz_L||^2 = prod_{l<L} n Var[w] E[f'(z_l)^2]."""
    var_w, _ = SCHEMES[init]
    _, slopes, _ = mean_field(init)
    return float(np.prod([WIDTH * var_w * s for s in slopes[:-1]]))


@functools.cache
def measured(init: str):
    params = validate(mlp.MLPParams, {**NET, "init": init})
    return tuple(mlp.run(params, seed) for seed in SEEDS)


def dz_ratios(results) -> np.ndarray:
    return np.array([r.preactivation_grad_norms[0] ** 2 / r.preactivation_grad_norms[-1] ** 2
                     for r in results])


def test_standard_init_shrinks_the_backpropagated_gradient_variance_toward_the_input():
    ratios = dz_ratios(measured("pytorch_default"))
    predicted = predicted_dz_ratio("pytorch_default")
    # the linear-regime factor (n Var[w])^(L-1) = 3^-4, tanh' < 1 shrinks it further
    assert predicted < 3.0**-4
    # finite width: each layer's factor fluctuates by O(1/sqrt(n)) ~ 5%, four layers
    assert np.all(np.abs(np.log(ratios / predicted)) < np.log(1.5))


def test_normalized_init_keeps_the_backpropagated_gradient_far_larger_in_the_first_layer():
    standard = dz_ratios(measured("pytorch_default"))
    normalized = dz_ratios(measured("glorot_uniform"))
    predicted = predicted_dz_ratio("glorot_uniform")
    assert np.all(np.abs(np.log(normalized / predicted)) < np.log(1.5))
    # Glorot's eq. 16 makes n Var[w] = 1: only tanh' (< 1) still shrinks the gradient
    assert np.median(normalized) > 10 * np.median(standard)


def test_standard_init_weight_gradients_stay_the_same_size_in_every_layer():
    """Their eq. 14 and Fig. 8: back-propagated gradients shrink, weight gradients do not."""
    results = measured("pytorch_default")
    _, slopes, inputs = mean_field("pytorch_default")
    var_w, _ = SCHEMES["pytorch_default"]
    dz_first_over_last = np.prod([WIDTH * var_w * s for s in slopes[:-1]])
    # per-example ||dl/dW_l||^2 = ||h_{l-1}||^2 ||dl/dz_l||^2
    predicted = inputs[0] / inputs[-1] * dz_first_over_last
    ratios = np.array([r.weight_grad_rms_per_example[0] ** 2
                       / r.weight_grad_rms_per_example[DEPTH - 1] ** 2 for r in results])
    assert 0.5 < predicted < 2.0
    assert np.all(np.abs(np.log(ratios / predicted)) < np.log(1.5))
    assert np.median(ratios) > 50 * np.median(dz_ratios(results))
