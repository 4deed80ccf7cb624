"""MLP gradient flow: backprop against finite differences, Glorot & Bengio's vanishing
gradients in deep sigmoid nets, result fields, validation and determinism."""

import itertools
import json
import warnings

import numpy as np
import pytest

from simulations.engine import mlp
from simulations.engine.activations import NAMES
from simulations.engine.core import ParameterError, validate
from simulations.engine.initializers import SCHEMES
from simulations.engine.network import (
    backpropagate,
    build_network,
    forward,
    frobenius_norm,
    measure_loss,
)

SEEDS = range(5)


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """Return ||a - b|| / max(||a||, ||b||): one number per tensor, zero entries allowed."""
    scale = max(np.linalg.norm(a), np.linalg.norm(b))
    return float(np.linalg.norm(a - b) / scale) if scale else 0.0


def central_differences(loss, array: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Differentiate loss() with respect to every entry of ``array`` (perturbed in place)."""
    grad = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        saved = array[index]
        array[index] = saved + h
        plus = loss()
        array[index] = saved - h
        minus = loss()
        array[index] = saved
        grad[index] = (plus - minus) / (2 * h)
    return grad


def small_problem(seed: int, activation: str, init: str, batch_norm: bool):
    """Return weights, biases (random, so their gradients are generic), inputs, targets."""
    rng = np.random.default_rng(seed)
    sizes = [4, 5, 5, 5, 2]  # three hidden layers, two outputs
    weights, biases = build_network(rng, sizes, init=init, init_std=1.0, batch_norm=batch_norm)
    biases = [None if b is None else 0.2 * rng.standard_normal(b.shape) for b in biases]
    inputs = rng.standard_normal((7, 4))
    targets = rng.standard_normal((7, 2))
    return weights, biases, inputs, targets


@pytest.mark.parametrize(
    ("activation", "init", "batch_norm"), list(itertools.product(NAMES, SCHEMES, (False, True)))
)
def test_backprop_matches_central_differences(activation, init, batch_norm):
    weights, biases, inputs, targets = small_problem(11, activation, init, batch_norm)
    options = {"activation": activation, "batch_norm": batch_norm}

    def loss() -> float:
        return measure_loss(forward(weights, biases, inputs, **options).outputs, targets)

    result = backpropagate(weights, biases, inputs, targets, **options)
    assert result.loss == loss()
    # Central differences with h = 1e-5 err by ~h^2 (truncation) + 1e-16/h (rounding),
    # about 1e-10 relative here: 1e-6 leaves room and still catches any wrong term.
    for weight, grad in zip(weights, result.weight_grads, strict=True):
        assert relative_error(grad, central_differences(loss, weight)) < 1e-6
    for bias, grad in zip(biases, result.bias_grads, strict=True):
        assert (bias is None) == (grad is None)
        if bias is not None:
            assert relative_error(grad, central_differences(loss, bias)) < 1e-6
    assert relative_error(result.hidden_grads[0], central_differences(loss, inputs)) < 1e-6


def test_batch_norm_layers_have_no_bias():
    _, biases = build_network(
        np.random.default_rng(0), [3, 3, 3, 1], init="he_normal", init_std=1.0, batch_norm=True
    )
    assert biases[0] is None and biases[1] is None and biases[2].shape == (1,)


def vanishing_params(**overrides) -> mlp.MLPParams:
    raw = {
        "activation": "sigmoid",
        "init": "normal",
        "init_std": 0.1,
        "depth": 20,
        "width": 64,
        "batch_size": 64,
    }
    return validate(mlp.MLPParams, raw | overrides)


@pytest.mark.parametrize("seed", SEEDS)
def test_sigmoid_slope_bounds_each_layer_backward(seed):
    """||dL/dh_{l-1}|| <= 1/4 ||W_l||_2 ||dL/dh_l||: sigmoid' <= 1/4 (Glorot & Bengio 2010).

    dL/dh_{l-1} = (dL/dh_l * sigmoid'(z_l)) W_l^T, and an elementwise factor of at most
    1/4 followed by W_l^T scales a Frobenius norm by at most 1/4 times the spectral norm.
    """
    weights, biases, inputs, targets = mlp.draw_problem(vanishing_params(), seed)
    result = backpropagate(weights, biases, inputs, targets, activation="sigmoid")
    grads = [np.linalg.norm(g) for g in result.hidden_grads]  # l = 0 .. L
    bound = 1.0
    for layer in range(1, len(grads)):
        factor = 0.25 * np.linalg.norm(weights[layer - 1], 2)
        assert grads[layer - 1] <= factor * grads[layer] * (1 + 1e-12)
        if layer > 1:
            bound *= factor
    # Chaining the bound: dL/dh_1 is at most prod_{l=2..L} (1/4 ||W_l||_2) of dL/dh_L, and
    # with std 0.1 and width 64 each factor is about 1/4 * 0.1 * 2 sqrt(64) = 0.4.
    assert grads[1] / grads[-1] <= bound < 1e-6


@pytest.mark.parametrize("seed", SEEDS)
def test_deep_sigmoid_net_with_small_init_has_vanishing_gradients(seed):
    """The first layer's gradient is orders of magnitude below the last one's.

    Each step back multiplies by about 1/4 * std * sqrt(width) = 0.2 (W_l is independent
    of the gradient arriving from above), so over 19 layers ~1e-13; the guaranteed bound
    of the test above alone gives < 1e-6.
    """
    result = mlp.run(vanishing_params(), seed)
    assert result.hidden_grad_norms[0] / result.hidden_grad_norms[-1] < 1e-6
    assert result.grad_ratio_first_to_last < 1e-6
    assert np.all(np.diff(np.log(result.hidden_grad_norms)) > 0)  # grows toward the output


def test_reported_norms_follow_their_definitions():
    params = vanishing_params(activation="relu", init="he_normal", depth=4, batch_size=16)
    weights, biases, inputs, targets = mlp.draw_problem(params, 3)
    raw = backpropagate(weights, biases, inputs, targets, activation="relu")
    result = mlp.run(params, 3)
    hidden = raw.activations[1:]
    np.testing.assert_allclose(
        result.hidden_grad_norms, [4 * np.linalg.norm(g) for g in raw.hidden_grads[1:]]
    )  # sqrt(B) ||dL/dh_l||_F with B = 16
    np.testing.assert_allclose(
        result.weight_grad_norms, [np.linalg.norm(g) for g in raw.weight_grads[:-1]]
    )
    np.testing.assert_allclose(result.activation_stds, [h.std() for h in hidden])
    dead = [np.mean(np.all(h == 0, axis=0)) for h in hidden]
    np.testing.assert_allclose(result.dead_fractions, dead)
    assert result.saturated_fractions is None


def test_large_init_saturates_tanh_units():
    result = mlp.run(vanishing_params(activation="tanh", init_std=1.0, depth=5), 0)
    # Pre-activations have std about sqrt(64) = 8 from layer 2 on: |tanh| > 0.99 needs
    # |z| > 2.65, which holds for ~74% of N(0, 8^2) draws.
    assert np.all(result.saturated_fractions[1:] > 0.6)
    assert result.dead_fractions is None


EXPECTED_KEYS = {
    "simulation",
    "engine_version",
    "seed",
    "params",
    "layers",
    "loss",
    "weight_grad_norms",
    "output_weight_grad_norm",
    "hidden_grad_norms",
    "input_grad_norm",
    "grad_ratio_first_to_last",
    "activation_means",
    "activation_stds",
    "saturated_fractions",
    "dead_fractions",
    "loss_convention",
    "loss_definition",
    "preactivation_grad_norms",
    "output_grad_norm",
    "weight_grad_rms_per_example",
    "input_mean_square",
    "weight_spectral_norms",
    "jacobian_singular_values",
}


def test_to_dict_is_json_with_the_documented_keys():
    data = mlp.run(vanishing_params(batch_norm=True), 1).to_dict()
    assert set(data) == EXPECTED_KEYS
    assert data["simulation"] == "mlp_gradient_flow" and data["seed"] == 1
    assert data["params"]["batch_norm"] is True
    assert len(data["hidden_grad_norms"]) == len(data["layers"]) == 20
    json.dumps(data, allow_nan=False)


def test_most_explosive_allowed_run_stays_finite_and_silent():
    """ReLU, std 10, width 128: activations grow by sqrt(128 * 100 / 2) = 80 per layer,
    1e114 after 60 layers; squares of 1e228 still fit in float64, so nothing is lost."""
    params = vanishing_params(activation="relu", init_std=10.0, depth=60, width=128, batch_size=8)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data = mlp.run(params, 0).to_dict()
    json.dumps(data, allow_nan=False)
    assert data["loss"] > 1e200 and all(norm is not None for norm in data["weight_grad_norms"])


def test_norm_of_huge_entries_does_not_overflow():
    huge = np.full((3, 4), 1e300)
    assert frobenius_norm(huge) == pytest.approx(1e300 * np.sqrt(12), rel=1e-15)
    assert frobenius_norm(np.array([np.inf, 1.0])) == np.inf


def test_same_seed_same_numbers_other_seed_other_numbers():
    params = vanishing_params(depth=3)
    first, again, other = mlp.run(params, 5), mlp.run(params, 5), mlp.run(params, 6)
    assert first.to_dict() == again.to_dict()
    np.testing.assert_array_equal(first.weight_grad_norms, again.weight_grad_norms)
    assert not np.array_equal(first.weight_grad_norms, other.weight_grad_norms)


def test_batch_size_does_not_change_the_weights():
    small = mlp.draw_problem(vanishing_params(batch_size=8), 2)
    large = mlp.draw_problem(vanishing_params(batch_size=32), 2)
    for a, b in zip(small[0], large[0], strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    ("raw", "field", "code"),
    [
        ({"depth": 0}, "depth", "min_value"),
        ({"depth": 61}, "depth", "max_value"),
        ({"width": 513}, "width", "max_value"),
        ({"activation": "swish"}, "activation", "invalid_choice"),
        ({"init": "lecun_normal"}, "init", "invalid_choice"),
        ({"loss": "cross_entropy"}, "loss", "invalid_choice"),
        ({"input_distribution": "cauchy"}, "input_distribution", "invalid_choice"),
        ({"leaky_relu_slope": 1.5}, "leaky_relu_slope", "max_value"),
        ({"batch_norm_eps": 0.0}, "batch_norm_eps", "min_value"),
        ({"outputs": 0}, "outputs", "min_value"),
        ({"input_size": 513}, "input_size", "max_value"),
        ({"depth": 30, "width": 512, "spectra": True}, "width", "too_costly"),
        ({"init_std": 0.0}, "init_std", "min_value"),
        ({"batch_size": "many"}, "batch_size", "invalid_type"),
        ({"batch_norm": True, "batch_size": 1}, "batch_size", "batch_norm_needs_two"),
        ({"depth": 60, "width": 512, "batch_size": 128}, "width", "too_costly"),
    ],
)
def test_invalid_params_are_refused_with_field_codes(raw, field, code):
    with pytest.raises(ParameterError) as caught:
        validate(mlp.MLPParams, raw)
    assert {name: error.code for name, error in caught.value.errors.items()} == {field: code}


def test_cost_limit_allows_the_largest_documented_runs():
    validate(mlp.MLPParams, {"depth": 60, "width": 512, "batch_size": 4})
    validate(mlp.MLPParams, {"depth": 60, "width": 128, "batch_size": 512})
