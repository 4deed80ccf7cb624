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


def test_the_five_shared_schemes_are_unchanged_and_the_mlp_adds_two():
    assert SCHEMES == ("normal", "glorot_uniform", "glorot_normal", "he_normal", "he_uniform")
    assert initializers.MLP_SCHEMES == (*SCHEMES, "pytorch_default", "orthogonal")


def test_pytorch_default_is_uniform_within_one_over_sqrt_fan_in():
    """U(-a, a) with a = 1/sqrt(fan_in): Var = a^2 / 3, every entry within a."""
    fan_in, fan_out = 400, 300
    weights = initialize_weights("pytorch_default", fan_in, fan_out, np.random.default_rng(1))
    bound = 1 / math.sqrt(fan_in)
    assert np.abs(weights).max() <= bound
    assert np.abs(weights).max() > 0.99 * bound
    assert weight_variance("pytorch_default", fan_in, fan_out) == pytest.approx(bound**2 / 3)
    assert weights.var() == pytest.approx(bound**2 / 3, rel=0.02)  # 120k draws: ~0.4% sd


def test_pytorch_default_draws_biases_like_nn_linear_and_others_zero():
    rng = np.random.default_rng(0)
    biases = initializers.draw_biases("pytorch_default", [100, 50, 2], rng)
    assert [b.shape for b in biases] == [(50,), (2,)]
    assert np.abs(biases[0]).max() <= 0.1 and np.abs(biases[1]).max() <= 1 / math.sqrt(50)
    assert all(not b.any() for b in initializers.draw_biases("he_normal", [4, 3, 1], rng))


@pytest.mark.parametrize(("fan_in", "fan_out"), [(64, 64), (80, 30), (30, 80)])
def test_orthogonal_has_orthonormal_columns_or_rows_and_its_gain(fan_in, fan_out):
    weights = initialize_weights("orthogonal", fan_in, fan_out, np.random.default_rng(2), gain=1.5)
    q = weights / 1.5
    small = min(fan_in, fan_out)
    gram = q.T @ q if fan_in >= fan_out else q @ q.T  # (small, small)
    np.testing.assert_allclose(gram, np.eye(small), atol=1e-12)
    mean_square = weight_variance("orthogonal", fan_in, fan_out)
    assert np.mean(q**2) == pytest.approx(mean_square, rel=1e-12)


@pytest.mark.parametrize("scheme", initializers.MLP_SCHEMES)
def test_gain_multiplies_the_same_draw(scheme):
    plain = initialize_weights(scheme, 20, 10, np.random.default_rng(5), 0.3)
    scaled = initialize_weights(scheme, 20, 10, np.random.default_rng(5), 0.3, gain=2.5)
    np.testing.assert_allclose(scaled, 2.5 * plain, rtol=1e-15)


@pytest.mark.parametrize("slope", [0.0, 0.01, 0.2, 1.0])
def test_leaky_relu_he_gain_is_sqrt_two_over_one_plus_slope_squared(slope):
    gain = initializers.leaky_relu_gain(slope)
    assert gain == pytest.approx(math.sqrt(2 / (1 + slope**2)), rel=1e-15)
    assert initializers.he_gain("leaky_relu", slope) == gain
    assert initializers.he_gain("relu", slope) == math.sqrt(2)
    variance = weight_variance("he_normal", 50, 10, he_gain=gain)
    assert variance == pytest.approx(2 / ((1 + slope**2) * 50), rel=1e-14)
    torch = pytest.importorskip("torch")
    assert gain == pytest.approx(torch.nn.init.calculate_gain("leaky_relu", slope), rel=1e-12)
