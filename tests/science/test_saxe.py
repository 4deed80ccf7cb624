"""Saxe, McClelland & Ganguli (2014): a deep linear net with orthogonal weights has an
input-output Jacobian whose singular values are all exactly 1 (dynamical isometry),
whereas scaled Gaussian weights (Var[w] = 1/n, the same mean square) give singular
values that spread with depth. The Gaussian spread is checked against free probability:
the squared singular values of a product of L Gaussian matrices have mean 1 and, for
large n, the largest tends to the Fuss-Catalan edge (L + 1)^(L + 1) / L^L."""

import functools

import numpy as np

from simulations.engine import mlp
from simulations.engine.core import validate

SEEDS = range(5)
WIDTH = 128
# leaky ReLU with slope 1 is the identity: a deep linear network
LINEAR = {"width": WIDTH, "activation": "leaky_relu", "leaky_relu_slope": 1.0,
          "spectra": True, "loss": "probe", "batch_size": 8}


@functools.cache
def singular_values(init: str, depth: int):
    params = validate(mlp.MLPParams, {**LINEAR, "init": init, "depth": depth})
    return tuple(mlp.run(params, seed).jacobian_singular_values for seed in SEEDS)


def fuss_catalan_edge(depth: int) -> float:
    """Return the large-n largest singular value of a product of ``depth`` Gaussians."""
    return float(np.sqrt((depth + 1) ** (depth + 1) / depth**depth))


def test_orthogonal_deep_linear_net_has_every_jacobian_singular_value_equal_to_one():
    for values in singular_values("orthogonal", 10):
        assert values.shape == (WIDTH,)
        assert np.allclose(values, 1.0, atol=1e-10)


def test_gaussian_deep_linear_net_singular_values_spread_with_depth():
    for depth in (2, 10):
        values = singular_values("glorot_normal", depth)
        mean_squares = [np.mean(v**2) for v in values]
        # E tr(J J^T) / n = 1; one draw has a relative std below sqrt(2L/n) (n Gaussian norms)
        assert all(abs(m - 1) < 4 * np.sqrt(2 * depth / WIDTH) for m in mean_squares)
        largest = np.median([v[0] for v in values])
        # finite n sits below the asymptotic edge, by more at larger depth
        assert 0.7 * fuss_catalan_edge(depth) < largest < 1.1 * fuss_catalan_edge(depth)
        assert all(v[-1] < 0.1 for v in values)  # and the smallest fall toward 0
    deep = np.median([v[0] / v[-1] for v in singular_values("glorot_normal", 10)])
    shallow = np.median([v[0] / v[-1] for v in singular_values("glorot_normal", 2)])
    assert deep > 10 * shallow  # the condition number grows with depth
