"""The sigmoid neuron with two losses, against closed forms and torch autograd."""

import math

import numpy as np
import pytest

from simulations.engine import losses, neuron_losses
from simulations.engine.core import ParameterError, validate


def run(**raw):
    return neuron_losses.run(validate(neuron_losses.NeuronLossesParams, raw), 0)


def closed_form_sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


@pytest.mark.parametrize("z", [-30.0, -4.0, -0.3, 0.0, 2.5, 30.0])
@pytest.mark.parametrize("target", [0.0, 0.3, 1.0])
def test_gradients_at_z_are_the_closed_forms(z, target):
    a = closed_form_sigmoid(z)
    slope = math.exp(-abs(z)) / (1.0 + math.exp(-abs(z))) ** 2
    loss, grad = neuron_losses.loss_and_grad("squared_error", z, target)
    assert loss == pytest.approx((a - target) ** 2 / 2, rel=1e-12, abs=1e-300)
    assert grad == pytest.approx((a - target) * slope, rel=1e-9, abs=1e-300)
    loss, grad = neuron_losses.loss_and_grad("cross_entropy", z, target)
    assert grad == pytest.approx(a - target, rel=1e-12, abs=1e-15)
    expected = -(target * math.log(a) + (1 - target) * math.log1p(-a)) if abs(z) < 30 else None
    if expected is not None:
        assert loss == pytest.approx(expected, rel=1e-10)


def test_squared_error_is_the_engines_half_squared_error_for_one_example():
    value, grad = losses.evaluate("half_squared_error", np.array([[0.8]]), np.array([[0.1]]))
    assert neuron_losses.squared_error(0.8, 0.1) == value == pytest.approx(0.245)
    assert grad[0, 0] == pytest.approx(0.7)


def test_central_differences_match_both_gradients():
    for loss in neuron_losses.LOSS_NAMES:
        for z in (-3.0, 0.4, 5.0):
            eps = 1e-6
            numerical = (neuron_losses.loss_and_grad(loss, z + eps, 0.2)[0]
                         - neuron_losses.loss_and_grad(loss, z - eps, 0.2)[0]) / (2 * eps)
            assert neuron_losses.loss_and_grad(loss, z, 0.2)[1] == pytest.approx(
                numerical, rel=1e-6)


def test_every_step_matches_torch_autograd_in_float64():
    torch = pytest.importorskip("torch")
    result = run(initial_weight=1.5, initial_bias=-3.0, input=-1.2, target=0.9,
                 learning_rate=0.4, steps=60)
    criteria = {
        "squared_error": lambda a, y: 0.5 * (a - y) ** 2,
        "cross_entropy": lambda a, y: torch.nn.functional.binary_cross_entropy(a, y),
    }
    for name, criterion in criteria.items():
        w = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
        b = torch.tensor(-3.0, dtype=torch.float64, requires_grad=True)
        trajectory = result.trajectories[name]
        for step in range(61):
            z = w * -1.2 + b
            z.retain_grad()
            loss = criterion(torch.sigmoid(z), torch.tensor(0.9, dtype=torch.float64))
            loss.backward()
            assert trajectory.losses[step] == pytest.approx(loss.item(), rel=1e-9)
            assert trajectory.grad_z[step] == pytest.approx(z.grad.item(), rel=1e-9)
            with torch.no_grad():
                w -= 0.4 * w.grad
                b -= 0.4 * b.grad
            w.grad = None
            b.grad = None


def test_the_initial_ratio_of_the_gradients_is_one_over_the_sigmoid_slope():
    for w, b in [(2.0, 2.0), (-3.0, 0.5), (6.0, 4.0)]:
        result = run(initial_weight=w, initial_bias=b, target=0.0).to_dict()
        a = closed_form_sigmoid(w + b)
        assert result["initial_gradient_ratio"] == pytest.approx(1 / (a * (1 - a)), rel=1e-9)


def test_confidently_wrong_squared_error_learns_slowly_and_cross_entropy_does_not():
    # Nielsen (chapter 3): w = b = 2, x = 1, y = 0, eta = 0.15.
    data = run().to_dict()["losses"]
    squared, crossed = data["squared_error"], data["cross_entropy"]
    assert crossed["steps_to_cross_half"] * 5 < squared["steps_to_cross_half"]
    # The squared error's gradient first grows as the neuron leaves saturation.
    assert squared["abs_grad_z"][50] > squared["abs_grad_z"][0]
    assert crossed["abs_grad_z"][0] > 0.95


def test_the_slope_keeps_its_precision_where_a_times_one_minus_a_rounds_to_zero():
    assert neuron_losses.sigmoid_slope(40.0) == pytest.approx(math.exp(-40.0), rel=1e-12)
    assert run(initial_weight=10, initial_bias=10, input=2).to_dict()[
        "initial_gradient_ratio"] == pytest.approx(math.exp(30.0), rel=1e-6)


def test_a_start_that_never_crosses_reports_none():
    data = run(initial_weight=10, initial_bias=10, input=2, steps=5).to_dict()
    assert data["losses"]["squared_error"]["steps_to_cross_half"] is None


def test_out_of_range_parameters_are_refused_per_field():
    with pytest.raises(ParameterError) as error:
        validate(neuron_losses.NeuronLossesParams, {"steps": 5000, "target": 2})
    assert set(error.value.errors) == {"steps", "target"}
