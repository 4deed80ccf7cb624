"""Gradient descent on the quadratic bowl: the path against (I - eta A)^t theta_0, the regimes."""

import json

import numpy as np
import pytest

from simulations.engine import descent
from simulations.engine.core import ParameterError, validate

FRACTIONS = [0.05, 0.3, 0.5, 0.7, 0.95, 1.0, 1.2]


def run(seed=0, **raw):
    return descent.run(validate(descent.DescentParams, raw), seed)


def closed_form_path(fraction, kappa, start, steps):
    """Return theta_t = (I - eta A)^t theta_0 for t = 0 .. steps, by matrix powers."""
    matrix = np.diag([1 / kappa, 1.0])
    eta = fraction * 2 / 1.0
    step = np.eye(2) - eta * matrix
    return np.array([np.linalg.matrix_power(step, t) @ start for t in range(steps + 1)])


@pytest.mark.parametrize("fraction", FRACTIONS)
@pytest.mark.parametrize("kappa", [1.0, 10.0, 300.0])
def test_the_path_is_the_linear_iteration_in_closed_form(fraction, kappa):
    result = run(lr_fraction=fraction, condition_number=kappa, steps=60, start_x=-3,
                 start_y=1.5)
    expected = closed_form_path(fraction, kappa, np.array([-3.0, 1.5]), 60)
    expected = expected[:len(result.path)]  # a diverging run stops at the cap
    np.testing.assert_allclose(result.path, expected, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(result.losses,
                               0.5 * (expected[:, 0] ** 2 / kappa + expected[:, 1] ** 2),
                               rtol=1e-10, atol=1e-300)


def test_the_gradient_is_the_central_difference_of_the_loss():
    objective = descent.quadratic(7.0)
    rng = np.random.default_rng(0)
    for point in rng.standard_normal((5, 2)):
        numerical = [(objective.loss(point + h) - objective.loss(point - h)) / 2e-6
                     for h in np.eye(2) * 1e-6]
        np.testing.assert_allclose(objective.gradient(point), numerical, rtol=1e-7)


def test_below_half_the_limit_the_path_slides_down_without_changing_sign():
    result = run(lr_fraction=0.3, condition_number=10, steps=1000)
    assert result.outcome == "converged"
    assert result.steep_sign_changes == 0
    assert np.all(result.path[:, 1] >= 0) and np.all(np.diff(result.distances) < 0)


def test_between_half_and_the_limit_the_steep_coordinate_alternates_and_converges():
    result = run(lr_fraction=0.9, condition_number=10, steps=200)
    assert result.outcome == "converged"
    assert result.steep_sign_changes == 1.0
    assert np.all(np.diff(np.abs(result.path[:, 1])) < 0)


def test_above_the_limit_the_steep_coordinate_grows_geometrically_and_the_run_stops():
    result = run(lr_fraction=1.1, condition_number=10, steps=1000)
    assert result.outcome == "diverged" and result.diverged
    growth = np.abs(result.path[1:, 1] / result.path[:-1, 1])
    np.testing.assert_allclose(growth, abs(1 - 2 * 1.1), rtol=1e-12)
    # Stopped at the first step past the cap, long before float64 overflows.
    assert result.divergence_step == len(result.path) - 1 < 1000
    assert result.distances[-1] > descent.DIVERGENCE_FACTOR * result.distances[0]
    assert result.distances[-2] <= descent.DIVERGENCE_FACTOR * result.distances[0]
    json.dumps(result.to_dict(), allow_nan=False)


def test_at_the_limit_the_steep_coordinate_bounces_forever():
    result = run(lr_fraction=1.0, condition_number=10, steps=300)
    np.testing.assert_allclose(np.abs(result.path[:, 1]), 2.0, rtol=1e-12)
    assert result.outcome == "unfinished" and not result.diverged


@pytest.mark.parametrize("kappa", [2.0, 10.0, 100.0, 1000.0])
def test_the_best_fixed_rate_shrinks_the_distance_by_kappa_minus_one_over_kappa_plus_one(kappa):
    result = run(lr_rule="best", condition_number=kappa, steps=50)
    rate = (kappa - 1) / (kappa + 1)
    assert result.learning_rate == pytest.approx(2 / (1 + 1 / kappa), rel=1e-15)
    # Both coordinates shrink by exactly this factor in magnitude, so the distance does too.
    np.testing.assert_allclose(result.distances[1:] / result.distances[:-1], rate, rtol=1e-9)
    assert result.predicted_rate == pytest.approx(rate, rel=1e-12)
    # The best rule is the fraction kappa / (kappa + 1) of the limit.
    same = run(lr_fraction=kappa / (kappa + 1), condition_number=kappa, steps=50)
    np.testing.assert_allclose(same.path, result.path, rtol=1e-9, atol=1e-300)


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9, 0.97])
def test_no_fixed_rate_beats_the_best_one(fraction):
    kappa = 30.0
    best = run(lr_rule="best", condition_number=kappa).predicted_rate
    assert run(lr_fraction=fraction, condition_number=kappa).predicted_rate >= best - 1e-15


@pytest.mark.parametrize("fraction", [0.2, 0.6, 0.9])
def test_steps_to_tolerance_is_the_first_step_within_the_tolerance(fraction):
    result = run(lr_fraction=fraction, condition_number=20, steps=1000, tolerance=1e-4)
    path = closed_form_path(fraction, 20.0, np.array([-4.0, 2.0]), 1000)
    distances = np.linalg.norm(path, axis=1)
    expected = int(np.flatnonzero(distances <= 1e-4 * distances[0])[0])
    assert result.steps_to_tolerance == expected


def test_the_run_is_deterministic_and_serializable():
    first, second = run(seed=1).to_dict(), run(seed=2).to_dict()
    first.pop("seed"), second.pop("seed")
    assert first == second  # the seed is recorded, not used: nothing is random
    text = json.dumps(first, allow_nan=False)
    assert '"outcome": "unfinished"' in text
    assert len(first["contour"]["loss"]) == descent.CONTOUR_POINTS


def test_the_contour_grid_holds_the_start_and_the_loss():
    data = run(start_x=3, start_y=-7).to_dict()
    x, y = np.array(data["contour"]["x"]), np.array(data["contour"]["y"])
    assert x.min() < 3 < x.max() and y.min() < -7 < y.max()
    loss = np.array(data["contour"]["loss"])
    assert loss[5, 7] == pytest.approx(0.5 * (x[7] ** 2 / 10 + y[5] ** 2))


def test_the_engine_runs_any_objective_and_optimizer_it_is_given():
    """A rotated bowl: descend() needs only the objective's gradient and the optimizer."""
    angle = 0.4
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    matrix = rotation @ np.diag([0.2, 1.0]) @ rotation.T
    objective = descent.Objective(
        "rotated", lambda t: 0.5 * np.einsum("...i,ij,...j", t, matrix, t),
        lambda t: t @ matrix, np.zeros(2), np.array([0.2, 1.0]), rotation[:, 1])
    path = descent.descend(objective, descent.GradientDescent(0.7), np.array([1.0, 2.0]), 30)
    expected = [np.linalg.matrix_power(np.eye(2) - 0.7 * matrix, t) @ [1.0, 2.0]
                for t in range(31)]
    np.testing.assert_allclose(path, expected, rtol=1e-12)


@pytest.mark.parametrize(
    ("raw", "field", "code"),
    [
        ({"lr_fraction": 2.5}, "lr_fraction", "max_value"),
        ({"condition_number": 0.5}, "condition_number", "min_value"),
        ({"steps": 1001}, "steps", "max_value"),
        ({"start_x": 0, "start_y": 0}, "start_y", "inconsistent"),
        ({"optimizer": "lbfgs"}, "optimizer", "invalid_choice"),
    ],
)
def test_out_of_range_parameters_are_refused(raw, field, code):
    with pytest.raises(ParameterError) as caught:
        validate(descent.DescentParams, raw)
    assert caught.value.errors[field].code == code


def test_a_coordinate_that_underflowed_to_zero_does_not_dilute_the_sign_changes():
    result = run(lr_fraction=0.55, condition_number=10, steps=1000)
    assert result.path[-1, 1] == 0.0  # 0.1^t underflows long before step 1000
    assert result.steep_sign_changes == 1.0
    assert run(lr_fraction=0.5, condition_number=10, steps=20).steep_sign_changes == 0.0
