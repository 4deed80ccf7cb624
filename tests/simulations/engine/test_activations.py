"""Activation functions: closed forms, derivatives against finite differences, the lab."""

import json
import warnings

import numpy as np
import pytest

from simulations.engine import activations
from simulations.engine.activations import ACTIVATIONS, NAMES, SATURATION_SLOPE_RATIO
from simulations.engine.core import ParameterError, validate


def test_sigmoid_slope_peaks_at_one_quarter_at_zero():
    z = np.linspace(-10, 10, 20001)  # includes 0
    slopes = ACTIVATIONS["sigmoid"].derivative(z)
    assert slopes.max() == 0.25
    assert z[np.argmax(slopes)] == 0.0


def test_tanh_slope_is_one_at_zero_and_below_elsewhere():
    z = np.linspace(-10, 10, 20001)
    slopes = ACTIVATIONS["tanh"].derivative(z)
    assert ACTIVATIONS["tanh"].derivative(np.array(0.0)) == 1.0
    assert np.all(slopes[z != 0] < 1.0)


def test_relu_family_slopes_follow_torch_at_the_kink():
    at_zero = np.array([0.0])
    assert ACTIVATIONS["relu"].derivative(at_zero)[0] == 0.0
    assert ACTIVATIONS["leaky_relu"].derivative(at_zero)[0] == activations.LEAKY_RELU_SLOPE
    z = np.array([-3.0, -0.5, 0.5, 3.0])
    np.testing.assert_array_equal(ACTIVATIONS["relu"].derivative(z), [0, 0, 1, 1])
    np.testing.assert_array_equal(ACTIVATIONS["leaky_relu"].derivative(z), [0.01, 0.01, 1, 1])
    np.testing.assert_array_equal(ACTIVATIONS["leaky_relu"].function(z), [-0.03, -0.005, 0.5, 3])


def test_sigmoid_is_exact_and_silent_at_extremes():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy's default errstate: overflow would warn
        values = activations.sigmoid(np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0]))
    np.testing.assert_allclose(values[:2], [0.0, np.exp(-40.0)], rtol=1e-15, atol=0)
    assert values[2] == 0.5 and values[3] == 1.0 and values[4] == 1.0


@pytest.mark.parametrize("name", NAMES)
def test_derivative_matches_central_differences(name):
    f = ACTIVATIONS[name]
    z = np.linspace(-6, 6, 1201)
    z = z[np.abs(z) > 1e-3]  # away from the ReLU kink
    h = 1e-6
    numerical = (f.function(z + h) - f.function(z - h)) / (2 * h)
    # Central differences: error h^2 f'''/6 (< 1e-12) plus rounding ~ 1e-16 / h.
    np.testing.assert_allclose(f.derivative(z), numerical, rtol=0, atol=1e-9)


@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
def test_saturation_boundary_is_where_the_slope_falls_below_the_ratio(name):
    f = ACTIVATIONS[name]
    bound = f.saturated_beyond
    ratio = f.derivative(np.array([bound])) / f.max_slope
    np.testing.assert_allclose(ratio, SATURATION_SLOPE_RATIO, rtol=1e-12)
    assert f.saturated(f.function(np.array([bound * 1.001])))[0]
    assert not f.saturated(f.function(np.array([bound * 0.999])))[0]


def test_tanh_saturation_matches_the_recurrent_threshold():
    assert ACTIVATIONS["tanh"].saturated_beyond == pytest.approx(np.arctanh(0.99), rel=1e-15)


def test_simulation_reports_curves_and_regions():
    params = validate(activations.ActivationsParams, {"x_min": -8, "x_max": 8, "points": 161})
    data = activations.run(params, seed=0).to_dict()
    json.dumps(data, allow_nan=False)
    assert data["simulation"] == "activations" and data["params"]["points"] == 161
    assert len(data["x"]) == 161
    sigmoid = data["activations"]["sigmoid"]
    assert sigmoid["max_derivative"] == 0.25 and sigmoid["max_derivative_on_grid"] == 0.25
    assert sigmoid["inactive_kind"] == "saturated"
    assert sigmoid["inactive_above"] == pytest.approx(2 * np.arctanh(0.99))
    relu = data["activations"]["relu"]
    assert relu["inactive_kind"] == "dead" and relu["inactive_below"] == 0.0
    assert relu["inactive_max_derivative"] == 0.0
    assert relu["inactive_fraction_of_grid"] == pytest.approx(81 / 161)
    assert data["activations"]["leaky_relu"]["inactive_max_derivative"] == 0.01


def test_reversed_range_is_inconsistent():
    with pytest.raises(ParameterError) as caught:
        validate(activations.ActivationsParams, {"x_min": 2, "x_max": -2})
    assert caught.value.errors["x_max"].code == "empty_range"


def test_too_many_points_are_refused():
    with pytest.raises(ParameterError) as caught:
        validate(activations.ActivationsParams, {"points": 10**6})
    assert caught.value.errors["points"].code == "max_value"


@pytest.mark.parametrize("name", NAMES)
def test_backward_step_multiplies_by_the_slope(name):
    f = ACTIVATIONS[name]
    rng = np.random.default_rng(0)
    a = f.function(rng.standard_normal((5, 7)) * 3)
    grad = rng.standard_normal((5, 7))
    np.testing.assert_array_equal(f.backward(grad, a), grad * f.slope_from_output(a))


@pytest.mark.parametrize("name", NAMES)
def test_function_can_overwrite_its_input(name):
    f = ACTIVATIONS[name]
    z = np.linspace(-5, 5, 11)
    expected = f.function(z.copy())
    np.testing.assert_array_equal(f.function(z, out=z), expected)
    np.testing.assert_array_equal(z, expected)
