"""One training step of the 2-2-1 network: every gradient against central differences and
torch autograd (float64), the update against p - eta g, and the first-order prediction."""

import json

import numpy as np
import pytest

from simulations.engine import training_step
from simulations.engine.core import ParameterError, validate
from simulations.engine.gradcheck import numerical_gradient, relative_error

SEEDS = range(20)
CONFIGS = [{}, {"x1": -2.5, "x2": 3.0, "target": -1.5}, {"x1": 0.0, "x2": 0.0, "target": 3.0}]


def run(seed=0, **raw):
    return training_step.run(validate(training_step.TrainingStepParams, raw), seed)


def loss_of(flat: np.ndarray, inputs: np.ndarray, target: float) -> float:
    """Recompute L from a flat parameter vector (W row-major, b, v, c), independently."""
    w, b, v, c = flat[:4].reshape(2, 2), flat[4:6], flat[6:8], flat[8]
    h = 1.0 / (1.0 + np.exp(-(inputs @ w + b)))
    return 0.5 * (float(h @ v + c) - target) ** 2


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("raw", CONFIGS)
def test_every_gradient_matches_central_differences(seed, raw):
    result = run(seed, **raw)
    flat = result.before.flat().copy()
    numerical = numerical_gradient(lambda: loss_of(flat, result.inputs, result.params.target),
                                   flat, 1e-6)
    assert relative_error(result.grads.flat(), numerical) < 1e-7
    x = result.inputs.copy()
    numerical_x = numerical_gradient(
        lambda: loss_of(result.before.flat(), x, result.params.target), x, 1e-6)
    assert np.allclose(result.input_grads, numerical_x, rtol=1e-6, atol=1e-10)


@pytest.mark.parametrize("seed", SEEDS)
def test_every_value_and_gradient_matches_torch_autograd(seed):
    torch = pytest.importorskip("torch")
    result = run(seed, x1=1.5, x2=-2.0, target=0.7)
    p = result.before
    w = torch.tensor(p.hidden_weights, requires_grad=True)
    b = torch.tensor(p.hidden_biases, requires_grad=True)
    v = torch.tensor(p.output_weights, requires_grad=True)
    c = torch.tensor(p.output_bias, dtype=torch.float64, requires_grad=True)
    x = torch.tensor(result.inputs, requires_grad=True)
    z = x @ w + b
    h = torch.sigmoid(z)
    y = h @ v + c
    for tensor in (z, h, y):
        tensor.retain_grad()
    loss = 0.5 * (y - 0.7) ** 2
    loss.backward()
    assert loss.item() == pytest.approx(result.forward.loss, rel=1e-12)
    pairs = [
        (result.forward.pre_activations, z), (result.forward.hidden, h),
    ]
    for ours, theirs in pairs:
        np.testing.assert_allclose(ours, theirs.detach().numpy(), rtol=1e-12)
    grads = [
        (result.grads.hidden_weights, w.grad), (result.grads.hidden_biases, b.grad),
        (result.grads.output_weights, v.grad), (result.grads.output_bias, c.grad),
        (result.pre_activation_grads, z.grad), (result.hidden_grads, h.grad),
        (result.output_grad, y.grad), (result.input_grads, x.grad),
    ]
    for ours, theirs in grads:
        np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-10, atol=1e-15)
    # torch's SGD step gives the same parameters and the same loss after.
    optimizer = torch.optim.SGD([w, b, v, c], lr=result.params.learning_rate)
    optimizer.step()
    np.testing.assert_allclose(result.after.flat(), np.concatenate(
        [w.detach().numpy().ravel(), b.detach().numpy(), v.detach().numpy(), [c.item()]]),
        rtol=1e-12)
    with torch.no_grad():
        after = 0.5 * (torch.sigmoid(x @ w + b) @ v + c - 0.7) ** 2
    assert after.item() == pytest.approx(result.loss_after, rel=1e-10)


def test_the_update_is_one_step_against_the_gradient():
    result = run(3, learning_rate=0.25)
    np.testing.assert_allclose(result.after.flat(),
                               result.before.flat() - 0.25 * result.grads.flat(), rtol=1e-15)
    assert result.loss_after == pytest.approx(
        loss_of(result.after.flat(), result.inputs, result.params.target), rel=1e-14)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_small_step_changes_the_loss_as_the_first_order_model_predicts(seed):
    result = run(seed, learning_rate=1e-3)
    assert result.loss_change < 0
    assert result.loss_change == pytest.approx(result.first_order_change, rel=0.05)


def test_weights_are_drawn_from_the_seed_with_one_decimal():
    first, again, other = run(5), run(5), run(6)
    assert np.array_equal(first.before.flat(), again.before.flat())
    assert not np.array_equal(first.before.flat(), other.before.flat())
    assert np.allclose(first.before.flat() * 10, np.round(first.before.flat() * 10), atol=1e-12)


def test_to_dict_is_json_and_names_each_gradient():
    data = run(0).to_dict()
    json.dumps(data, allow_nan=False)
    assert data["grad_w12"] == data["gradients"]["hidden_weights"][0][1]
    assert data["grad_c"] == data["output_grad"]
    assert data["loss_change"] == pytest.approx(data["loss_after"] - data["loss"])


def test_a_huge_step_may_overflow_without_raising():
    data = run(0, learning_rate=10.0, x1=3.0, x2=3.0, target=-3.0).to_dict()
    json.dumps(data, allow_nan=False)


@pytest.mark.parametrize(("raw", "field", "code"), [
    ({"x1": 5}, "x1", "max_value"),
    ({"learning_rate": 0}, "learning_rate", "min_value"),
    ({"target": "one"}, "target", "invalid_type"),
])
def test_out_of_range_parameters_are_refused(raw, field, code):
    with pytest.raises(ParameterError) as caught:
        validate(training_step.TrainingStepParams, raw)
    assert {name: error.code for name, error in caught.value.errors.items()} == {field: code}
