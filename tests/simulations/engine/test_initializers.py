"""Initialization schemes: layout, the variance each targets, determinism."""

import math

import numpy as np
import pytest

from simulations.engine import initializers
from simulations.engine.initializers import SCHEMES, initialize_weights, weight_variance


@pytest.mark.parametrize(
    ("scheme", "expected"),
    [
        ("normal", 0.3**2),
        ("glorot_uniform", 2 / (200 + 50)),
        ("glorot_normal", 2 / (200 + 50)),
        ("he_normal", 2 / 200),
        ("he_uniform", 2 / 200),
    ],
)
def test_weight_variance_formulas(scheme, expected):
    assert weight_variance(scheme, 200, 50, init_std=0.3) == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_sample_variance_matches_formula(scheme):
    fan_in, fan_out = 300, 200
    weights = initialize_weights(scheme, fan_in, fan_out, np.random.default_rng(0), 0.3)
    assert weights.shape == (fan_in, fan_out)
    target = weight_variance(scheme, fan_in, fan_out, 0.3)
    # The sample variance of N draws has relative std sqrt((kurtosis - 1) / N):
    # kurtosis 3 for a normal, 9/5 for a uniform. Allow 5 standard deviations.
    kurtosis = 1.8 if scheme.endswith("uniform") else 3.0
    tolerance = 5 * math.sqrt((kurtosis - 1) / weights.size)
    assert abs(weights.var() / target - 1) < tolerance
    assert abs(weights.mean()) < 5 * math.sqrt(target / weights.size)


@pytest.mark.parametrize("scheme", ["glorot_uniform", "he_uniform"])
def test_uniform_schemes_stay_inside_their_limit(scheme):
    weights = initialize_weights(scheme, 64, 32, np.random.default_rng(1))
    limit = math.sqrt(3 * weight_variance(scheme, 64, 32))
    assert np.abs(weights).max() <= limit
    assert np.abs(weights).max() > 0.99 * limit


def test_glorot_and_he_keep_the_linear_regime_factor():
    """n Var[w] f'(0)^2 is 1 for Glorot (fan_in = fan_out) and 2 for He: ReLU halves it."""
    n = 128
    assert n * weight_variance("glorot_normal", n, n) == pytest.approx(1.0)
    assert n * weight_variance("he_normal", n, n) / 2 == pytest.approx(1.0)


def test_same_generator_state_gives_same_network():
    first = initializers.initialize_network("he_normal", [8, 8, 1], np.random.default_rng(3))
    again = initializers.initialize_network("he_normal", [8, 8, 1], np.random.default_rng(3))
    other = initializers.initialize_network("he_normal", [8, 8, 1], np.random.default_rng(4))
    assert [w.shape for w in first] == [(8, 8), (8, 1)]
    for a, b, c in zip(first, again, other, strict=True):
        np.testing.assert_array_equal(a, b)
        assert not np.array_equal(a, c)


def test_unknown_scheme_is_an_error():
    with pytest.raises(ValueError, match="unknown init scheme"):
        weight_variance("lecun_normal", 4, 4)  # orthogonal is a scheme now
