"""Gradient check: every option passes at 1e-6, a wrong gradient fails, epsilon matters."""

import itertools
import json

import numpy as np
import pytest

from simulations.engine import gradcheck
from simulations.engine.activations import NAMES
from simulations.engine.core import ParameterError, validate
from simulations.engine.initializers import SCHEMES


@pytest.mark.parametrize(
    ("activation", "init", "batch_norm"), list(itertools.product(NAMES, SCHEMES, (False, True)))
)
def test_backprop_passes_for_every_option(activation, init, batch_norm):
    raw = {
        "activation": activation,
        "init": init,
        "batch_norm": batch_norm,
        "depth": 3,
        "width": 5,
        "batch_size": 6,
    }
    result = gradcheck.run(validate(gradcheck.GradcheckParams, raw), seed=7)
    assert result.passed, result.max_relative_error
    names = [check.name for check in result.checks]
    expected = (
        ["W1", "W2", "W3", "W4", "b4"]
        if batch_norm
        else ["W1", "b1", "W2", "b2", "W3", "b3", "W4", "b4"]
    )
    assert names == expected


def test_a_wrong_gradient_fails():
    """A factor 2 on the loss (forgetting the 1/2 of the squared error) is caught."""
    params = validate(gradcheck.GradcheckParams, {})
    check = gradcheck.run(params, 0).checks[0]
    assert gradcheck.relative_error(2 * check.backprop, check.numerical) == pytest.approx(
        0.5, rel=1e-6
    )
    transposed = gradcheck.relative_error(check.backprop.T, check.numerical.T)
    assert transposed < gradcheck.TOLERANCE  # the measure itself is layout-free


def test_relative_error_of_zero_gradients_is_zero():
    assert gradcheck.relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert gradcheck.relative_error(np.zeros(3), np.ones(3)) == 1.0


@pytest.mark.parametrize("epsilon", [1e-1, 1e-10])
def test_too_large_or_too_small_epsilon_fails(epsilon):
    """Truncation error grows like epsilon^2, rounding error like 1e-16 / epsilon."""
    result = gradcheck.run(validate(gradcheck.GradcheckParams, {"epsilon": epsilon}), 0)
    assert not result.passed


def test_numerical_gradient_restores_the_parameter():
    parameter = np.array([[1.0, -2.0], [0.5, 3.0]])
    before = parameter.copy()
    grad = gradcheck.numerical_gradient(lambda: float(np.sum(parameter**2)), parameter, 1e-4)
    np.testing.assert_array_equal(parameter, before)
    np.testing.assert_allclose(grad, 2 * before, rtol=1e-10)


def test_to_dict_lists_every_tensor():
    data = gradcheck.run(validate(gradcheck.GradcheckParams, {"batch_norm": True}), 1).to_dict()
    json.dumps(data, allow_nan=False)
    assert set(data) == {
        "simulation",
        "engine_version",
        "seed",
        "params",
        "loss",
        "parameters",
        "max_relative_error",
        "tolerance",
        "passed",
        "sweep",
    }
    first = data["parameters"][0]
    assert set(first) == {"name", "shape", "relative_error", "backprop", "numerical"}
    assert first["name"] == "W1" and first["shape"] == [4, 4] and len(first["backprop"]) == 16
    assert data["passed"] is True and data["tolerance"] == 1e-6


def test_same_seed_same_check():
    params = validate(gradcheck.GradcheckParams, {})
    assert gradcheck.run(params, 2).to_dict() == gradcheck.run(params, 2).to_dict()
    assert gradcheck.run(params, 2).loss != gradcheck.run(params, 3).loss


@pytest.mark.parametrize(
    ("raw", "field", "code"),
    [
        ({"depth": 5}, "depth", "max_value"),
        ({"epsilon": 0.5}, "epsilon", "max_value"),
        ({"batch_norm": True, "batch_size": 1}, "batch_size", "batch_norm_needs_two"),
    ],
)
def test_invalid_params_are_refused(raw, field, code):
    with pytest.raises(ParameterError) as caught:
        validate(gradcheck.GradcheckParams, raw)
    assert {name: error.code for name, error in caught.value.errors.items()} == {field: code}
