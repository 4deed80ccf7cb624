"""Momentum, RMSProp, Adam and Rosenbrock's valley against torch.optim and closed forms."""

import math

import numpy as np
import pytest

from simulations.engine import descent, optimizers, surfaces
from simulations.engine.core import ParameterError, validate

torch = pytest.importorskip("torch")

TORCH_OPTIMIZERS = {
    "momentum": lambda p, lr: torch.optim.SGD([p], lr=lr, momentum=0.9),
    "rmsprop": lambda p, lr: torch.optim.RMSprop([p], lr=lr, alpha=0.99, eps=1e-8),
    "adam": lambda p, lr: torch.optim.Adam([p], lr=lr, betas=(0.9, 0.999), eps=1e-8),
}


def run(**raw):
    return descent.run(validate(descent.DescentParams, raw), 0)


def torch_path(objective_name, optimizer, lr, start, steps, rotation=0.0):
    """Return torch.optim's path, with the loss written in torch and differentiated by it."""
    theta = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    angle = math.radians(rotation)
    rotate = torch.tensor([[math.cos(angle), -math.sin(angle)],
                           [math.sin(angle), math.cos(angle)]], dtype=torch.float64)
    matrix = rotate @ torch.diag(torch.tensor([0.1, 1.0], dtype=torch.float64)) @ rotate.T
    step = TORCH_OPTIMIZERS[optimizer](theta, lr)
    path = [theta.detach().clone().numpy()]
    for _ in range(steps):
        step.zero_grad()
        if objective_name == "rosenbrock":
            loss = (1 - theta[0]) ** 2 + 100 * (theta[1] - theta[0] ** 2) ** 2
        else:
            loss = 0.5 * theta @ matrix @ theta
        loss.backward()
        step.step()
        path.append(theta.detach().clone().numpy())
    return np.array(path)


@pytest.mark.parametrize("optimizer", ["momentum", "rmsprop", "adam"])
@pytest.mark.parametrize(("objective", "lr", "start", "rotation"), [
    ("quadratic", 0.3, (-4.0, 2.0), 0.0),
    ("quadratic", 0.05, (3.0, -1.0), 30.0),
    ("rosenbrock", 0.001, (-1.5, 2.0), 0.0),
])
def test_every_step_matches_torch_optim_in_float64(optimizer, objective, lr, start, rotation):
    result = run(objective=objective, optimizer=optimizer, lr_rule="absolute", learning_rate=lr,
                 condition_number=10, rotation=rotation, start_x=start[0], start_y=start[1],
                 steps=200)
    expected = torch_path(objective, optimizer, lr, start, 200, rotation)
    np.testing.assert_allclose(result.path, expected, rtol=1e-10, atol=1e-12)


def test_momentum_is_the_heavy_ball_with_the_same_learning_rate():
    """torch's v <- beta v + g, theta -= eta v equals theta - eta g + beta (theta - previous)."""
    result = run(optimizer="momentum", lr_rule="absolute", learning_rate=0.7, momentum=0.8,
                 condition_number=20, steps=50)
    curvatures = np.array([1 / 20, 1.0])
    path = [np.array([-4.0, 2.0])]
    previous = path[0]
    for _ in range(50):
        theta = path[-1]
        path.append(theta - 0.7 * curvatures * theta + 0.8 * (theta - previous))
        previous = theta
    np.testing.assert_allclose(result.path, path, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("kappa", [4.0, 10.0, 100.0, 1000.0])
def test_polyaks_best_momentum_has_the_closed_form_rate(kappa):
    result = run(optimizer="momentum", lr_rule="best", condition_number=kappa, steps=1000)
    rate = (math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)
    assert result.learning_rate == pytest.approx(4 / (1 + 1 / math.sqrt(kappa)) ** 2)
    assert result.momentum == pytest.approx(rate**2)
    assert result.predicted_rate == pytest.approx(rate, rel=1e-6)
    # The iteration matrix of each direction has a double eigenvalue there (a Jordan
    # block): the distance falls like t r^t, so its late ratio approaches r from above.
    late = result.distances[60:120]
    measured = (late[-1] / late[0]) ** (1 / 59)
    assert rate < measured < rate * (1 + 1.2 / 60)


def test_the_heavy_ball_rate_is_the_spectral_radius_of_its_iteration_matrix():
    for eta, beta, curvature in [(1.0, 0.9, 0.01), (0.5, 0.3, 1.0), (1.9, 0.0, 1.0)]:
        matrix = np.array([[1 + beta - eta * curvature, -beta], [1.0, 0.0]])
        radius = np.max(np.abs(np.linalg.eigvals(matrix)))
        assert optimizers.linear_rate(eta, beta, np.array([curvature])) == pytest.approx(radius)


def test_no_momentum_pair_on_a_grid_beats_polyaks():
    curvatures = np.array([0.02, 1.0])
    best = optimizers.linear_rate(*optimizers.best_momentum(curvatures), curvatures)
    for eta in np.linspace(0.1, 3.9, 39):
        for beta in np.linspace(0.0, 0.95, 20):
            assert optimizers.linear_rate(eta, beta, curvatures) >= best - 1e-9


def test_adam_on_an_axis_aligned_bowl_takes_the_same_path_whatever_kappa():
    """Scaling a coordinate's gradient leaves Adam's step unchanged (but for eps)."""
    paths = [run(optimizer="adam", lr_rule="absolute", learning_rate=0.1, condition_number=k,
                 steps=300, eps=1e-12).path for k in (1.0, 30.0, 1000.0)]
    # eps (1e-12 here) is the only term that sees the scale: a relative 1e-5 at most.
    np.testing.assert_allclose(paths[1], paths[0], rtol=1e-5, atol=1e-9)
    np.testing.assert_allclose(paths[2], paths[0], rtol=1e-5, atol=1e-9)
    turned = run(optimizer="adam", lr_rule="absolute", learning_rate=0.1, condition_number=30,
                 rotation=45, steps=300)
    assert turned.distances[-1] > 1e3 * np.linalg.norm(paths[1][-1])


def test_first_steps_rmsprop_is_ten_eta_and_adam_is_eta_per_coordinate():
    rms = run(optimizer="rmsprop", lr_rule="absolute", learning_rate=0.01)
    adam = run(optimizer="adam", lr_rule="absolute", learning_rate=0.01)
    np.testing.assert_allclose(np.abs(rms.path[1] - rms.path[0]), 0.1, rtol=1e-6)
    np.testing.assert_allclose(np.abs(adam.path[1] - adam.path[0]), 0.01, rtol=1e-6)


def test_rosenbrocks_gradient_is_the_central_difference_and_its_minimum_is_1_1():
    valley = surfaces.rosenbrock()
    rng = np.random.default_rng(0)
    for point in rng.uniform(-2, 2, (6, 2)):
        numerical = [(valley.loss(point + h) - valley.loss(point - h)) / 2e-6
                     for h in np.eye(2) * 1e-6]
        np.testing.assert_allclose(valley.gradient(point), numerical, rtol=1e-6)
    np.testing.assert_array_equal(valley.minimum, [1.0, 1.0])
    assert valley.loss(valley.minimum) == 0.0
    np.testing.assert_allclose(valley.gradient(valley.minimum), 0.0, atol=0)
    hessian = np.array([[802.0, -400.0], [-400.0, 200.0]])
    np.testing.assert_allclose(valley.curvatures, np.linalg.eigvalsh(hessian), rtol=1e-12)


def test_a_turned_bowl_has_the_same_curvatures_along_turned_axes():
    bowl = surfaces.quadratic(10.0, 30.0)
    steep = bowl.steep_direction
    np.testing.assert_allclose(bowl.gradient(steep), steep, rtol=1e-12)  # eigenvalue 1
    shallow = np.array([-steep[1], steep[0]])
    np.testing.assert_allclose(bowl.gradient(shallow), shallow / 10, rtol=1e-12, atol=1e-15)


def test_the_sweep_counts_the_steps_of_each_condition_number():
    result = run(optimizer="momentum", lr_rule="best", steps=1000, sweep=True)
    for kappa, steps in zip(descent.SWEEP_CONDITION_NUMBERS, result.sweep_steps, strict=True):
        alone = run(optimizer="momentum", lr_rule="best", steps=1000, condition_number=kappa)
        assert steps == alone.steps_to_tolerance
    assert run().to_dict()["sweep"] is None


@pytest.mark.parametrize(("raw", "field"), [
    ({"optimizer": "adam", "lr_rule": "best"}, "lr_rule"),
    ({"objective": "rosenbrock", "start_x": 1, "start_y": 1}, "start_y"),
])
def test_inconsistent_choices_are_refused(raw, field):
    with pytest.raises(ParameterError) as caught:
        validate(descent.DescentParams, raw)
    assert caught.value.errors[field].code == "inconsistent"
