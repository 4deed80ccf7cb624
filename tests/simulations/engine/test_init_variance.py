"""Forward variance across layers: He et al.'s (2015) equation and its consequences.

Every tolerance comes from the statistics of the draw. Given a layer's input H (B, n),
the measured m = mean(z^2) of z = H W is (1/n_out) sum_k w_k^T S w_k with S = H^T H / B,
so over the weights, E[m] = Var[w] tr(S) (He's Var[y] = n Var[w] E[x^2]) and, for
Gaussian weights, std[m] = Var[w] sqrt(2 tr(S^2) / n_out). Uniform weights have a
smaller std (their kurtosis is below 3), so that value bounds them too. Each check
allows 5 of these standard deviations.
"""

import json
import warnings

import numpy as np
import pytest

from simulations.engine import init_variance
from simulations.engine.activations import LEAKY_RELU_SLOPE, NAMES
from simulations.engine.core import ParameterError, validate
from simulations.engine.initializers import SCHEMES, initialize_network, weight_variance

SEEDS = range(5)
Z = 5.0  # standard deviations allowed


def draw(
    seed: int,
    scheme: str,
    activation: str,
    depth: int,
    width: int,
    batch: int,
    init_std: float = 0.05,
):
    rng = np.random.default_rng(seed)
    inputs = rng.standard_normal((batch, width))
    weights = initialize_network(scheme, [width] * (depth + 1), rng, init_std)
    zs, hs = init_variance.propagate(inputs, weights, activation)
    return [inputs, *hs], zs, weight_variance(scheme, width, width, init_std)


def conditional_moments(h_prev: np.ndarray, var_w: float, fan_out: int):
    """Return E and std of mean(z^2) over the weights, given the layer's input."""
    gram = h_prev @ h_prev.T / h_prev.shape[0]  # (B, B): same nonzero spectrum as S
    return var_w * np.trace(gram), var_w * np.sqrt(2 * np.sum(gram**2) / fan_out)


def sign_flip_std(z: np.ndarray) -> float:
    """Return the std of mean(relu(z)^2) / mean(z^2) over the signs of W's columns.

    The weights are symmetric, so column k of z is as likely as its negation: unit k
    contributes its positive part P_k or its negative part N_k with probability 1/2.
    """
    positive = np.sum(np.maximum(z, 0) ** 2, axis=0)  # (n,)
    negative = np.sum(np.minimum(z, 0) ** 2, axis=0)
    return float(np.sqrt(np.sum(((positive - negative) / 2) ** 2)) / np.sum(z * z))


def log_ratio_std(hs, zs, var_w: float, activation: str) -> float:
    """Return the std of log(m_L / m_1) accumulated over layers 2 .. L, from the data."""
    total = 0.0
    for layer in range(1, len(zs)):
        mean, std = conditional_moments(hs[layer], var_w, zs[layer].shape[1])
        total += (std / mean) ** 2
        if activation in ("relu", "leaky_relu"):  # the halving step's own fluctuation
            total += sign_flip_std(zs[layer - 1]) ** 2
    return float(np.sqrt(total))


@pytest.mark.parametrize("activation", NAMES)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_each_layer_follows_he_variance_equation(scheme, activation):
    """Var[z_l] = n Var[w] E[h_{l-1}^2], layer by layer, within 5 std of the draw."""
    hs, zs, var_w = draw(0, scheme, activation, depth=10, width=128, batch=128, init_std=0.1)
    for layer, z in enumerate(zs):
        mean, std = conditional_moments(hs[layer], var_w, z.shape[1])
        assert abs(np.mean(z * z) - mean) <= Z * std


@pytest.mark.parametrize("activation", ["relu", "leaky_relu"])
def test_relu_keeps_half_of_the_second_moment(activation):
    """E[relu(z)^2] = Var[z] / 2 for symmetric z (He et al.'s step from y_l to x_{l+1})."""
    hs, zs, _ = draw(1, "he_normal", activation, depth=10, width=128, batch=128)
    half = (1 + (LEAKY_RELU_SLOPE**2 if activation == "leaky_relu" else 0)) / 2
    for z, h in zip(zs, hs[1:], strict=True):
        assert abs(np.mean(h * h) / np.mean(z * z) - half) <= Z * sign_flip_std(z)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(("scheme", "factor"), [("he_normal", 1.0), ("glorot_normal", 0.5)])
def test_relu_variance_is_kept_by_he_and_halved_by_glorot(seed, scheme, factor):
    """Per layer Var[z] changes by n Var[w] / 2: 1 for He, 1/2 for Glorot with
    fan_in = fan_out (He et al. 2015); over 19 layers, 1 against 2^-19."""
    depth = 20
    hs, zs, var_w = draw(seed, scheme, "relu", depth=depth, width=256, batch=256)
    measured = np.log(np.mean(zs[-1] ** 2) / np.mean(zs[0] ** 2))
    expected = (depth - 1) * np.log(factor)
    assert abs(measured - expected) <= Z * log_ratio_std(hs, zs, var_w, "relu")


@pytest.mark.parametrize("seed", SEEDS)
def test_glorot_keeps_tanh_variance_but_a_small_init_loses_it(seed):
    """Glorot's n Var[w] = 1 keeps tanh's variance where tanh is linear; saturation then
    shrinks it only like 1/(2l) (the mean-field path, which the draw follows). The
    "standard" U(-1/sqrt(n), 1/sqrt(n)) init (n Var[w] = 1/3) loses a factor 3 per layer
    (Glorot & Bengio 2010)."""
    depth, width = 20, 256
    path = init_variance.predict_variances("tanh", depth, gain=1.0)
    layers = np.arange(1, depth + 1)
    assert np.all(path >= 1 / (2 * layers))  # no faster than 1/(2l)
    hs, zs, var_w = draw(seed, "glorot_uniform", "tanh", depth=depth, width=width, batch=256)
    measured = np.log(np.mean(zs[-1] ** 2) / np.mean(zs[0] ** 2))
    tolerance = Z * log_ratio_std(hs, zs, var_w, "tanh")
    assert abs(measured - np.log(path[-1] / path[0])) <= tolerance

    std = 1 / np.sqrt(3 * width)
    hs, zs, var_w = draw(seed, "normal", "tanh", depth, width, batch=256, init_std=std)
    measured = np.log(np.mean(zs[-1] ** 2) / np.mean(zs[0] ** 2))
    tolerance = Z * log_ratio_std(hs, zs, var_w, "tanh")
    assert measured <= (depth - 1) * np.log(1 / 3) + tolerance


def test_mean_field_prediction_has_closed_forms_for_relus():
    np.testing.assert_allclose(init_variance.predict_variances("relu", 4, 2.0), [2, 2, 2, 2])
    np.testing.assert_allclose(init_variance.predict_variances("relu", 3, 1.0), [1, 0.5, 0.25])
    # Quadrature against the series E[tanh(z)^2] = q - 2 q^2 + 17/3 q^3 + O(q^4).
    q = 1e-4
    expected = q - 2 * q**2 + 17 / 3 * q**3
    assert init_variance.second_moment("tanh", q) == pytest.approx(expected, rel=1e-10)


def test_run_reports_every_scheme_and_matches_its_own_draws():
    params = validate(
        init_variance.InitVarianceParams,
        {"activation": "relu", "depth": 6, "width": 64, "batch_size": 64},
    )
    result = init_variance.run(params, 3)
    data = result.to_dict()
    json.dumps(data, allow_nan=False)
    assert data["simulation"] == "init_variance" and data["layers"] == [1, 2, 3, 4, 5, 6]
    assert set(data["schemes"]) == set(SCHEMES)
    assert set(data["schemes"]["he_normal"]) == {
        "weight_variance",
        "preactivation_variances",
        "activation_variances",
        "predicted_preactivation_variances",
    }
    assert data["schemes"]["he_normal"]["weight_variance"] == pytest.approx(2 / 64)
    predicted = data["schemes"]["he_normal"]["predicted_preactivation_variances"]
    np.testing.assert_allclose(predicted, [2.0] * 6, rtol=1e-14)
    again = init_variance.run(params, 3)
    other = init_variance.run(params, 4)
    np.testing.assert_array_equal(
        result.preactivation_variances["glorot_uniform"],
        again.preactivation_variances["glorot_uniform"],
    )
    assert not np.array_equal(
        result.preactivation_variances["glorot_uniform"],
        other.preactivation_variances["glorot_uniform"],
    )


def test_huge_init_is_reported_not_raised():
    params = validate(
        init_variance.InitVarianceParams,
        {"activation": "relu", "depth": 100, "width": 64, "batch_size": 16, "init_std": 10.0},
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow is reported in the result, never raised
        result = init_variance.run(params, 0)
    measured = result.preactivation_variances["normal"]  # n Var[w] = 6400 per layer
    overflow = int(np.argmax(~np.isfinite(measured)))  # the first layer that overflowed
    assert 0 < overflow < params.depth
    assert np.isfinite(measured[:overflow]).all() and not np.isfinite(measured[overflow:]).any()
    data = result.to_dict()
    json.dumps(data, allow_nan=False)
    reported = data["schemes"]["normal"]["preactivation_variances"]
    assert None not in reported[:overflow] and set(reported[overflow:]) == {None}
    for scheme in ("glorot_uniform", "glorot_normal", "he_normal", "he_uniform"):
        assert None not in data["schemes"][scheme]["preactivation_variances"]


@pytest.mark.parametrize(
    ("raw", "field", "code"),
    [
        ({"depth": 101}, "depth", "max_value"),
        ({"width": 1}, "width", "min_value"),
        ({"activation": "elu"}, "activation", "invalid_choice"),
        ({"depth": 100, "width": 1024, "batch_size": 2048}, "width", "too_costly"),
    ],
)
def test_invalid_params_are_refused(raw, field, code):
    with pytest.raises(ParameterError) as caught:
        validate(init_variance.InitVarianceParams, raw)
    assert {name: error.code for name, error in caught.value.errors.items()} == {field: code}
