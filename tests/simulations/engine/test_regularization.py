"""The regularization simulation against torch, exact enumeration and the penalty's gradient."""

import itertools
import math

import numpy as np
import pytest

from simulations.engine import dropout, regularization
from simulations.engine.activations import ACTIVATIONS
from simulations.engine.core import ParameterError, validate

TANH = ACTIVATIONS["tanh"]


def small_network(seed=0, sizes=(3, 5, 4, 1)):
    rng = np.random.default_rng(seed)
    weights = [rng.standard_normal((a, b)) / math.sqrt(a) for a, b in
               zip(sizes, sizes[1:], strict=False)]
    biases = [0.1 * rng.standard_normal(b) for b in sizes[1:]]
    inputs = rng.standard_normal((6, sizes[0]))
    targets = rng.standard_normal((6, 1))
    return weights, biases, inputs, targets


def test_one_step_with_a_mask_and_weight_decay_matches_torch():
    torch = pytest.importorskip("torch")
    weights, biases, inputs, targets = small_network()
    drop, rate, decay = 0.5, 0.1, 0.03
    masks = dropout.draw_masks(np.random.default_rng(1), 6, [5, 4], drop)
    passed = dropout.forward(weights, biases, inputs, TANH, masks)
    loss, weight_grads, bias_grads = dropout.backward(passed, weights, targets, TANH)
    stepped_w, stepped_b = [w.copy() for w in weights], [b.copy() for b in biases]
    dropout.sgd_step(stepped_w, stepped_b, weight_grads, bias_grads, learning_rate=rate,
                     weight_decay=decay)

    tw = [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in weights]
    tb = [torch.tensor(b, dtype=torch.float64, requires_grad=True) for b in biases]
    optimizer = torch.optim.SGD([{"params": tw, "weight_decay": decay},
                                 {"params": tb, "weight_decay": 0.0}], lr=rate)
    h = torch.tensor(inputs)
    for k in range(2):
        h = torch.tanh(h @ tw[k] + tb[k])
        # nn.Dropout's inverted scaling, with our mask's kept units: keep / (1 - p).
        h = h * torch.tensor(masks[k] != 0, dtype=torch.float64) / (1 - drop)
    out = h @ tw[2] + tb[2]
    torch_loss = 0.5 * torch.nn.functional.mse_loss(out, torch.tensor(targets))
    optimizer.zero_grad()
    torch_loss.backward()
    optimizer.step()
    assert loss == pytest.approx(torch_loss.item(), rel=1e-12)
    for ours, theirs in zip(stepped_w + stepped_b, tw + tb, strict=True):
        np.testing.assert_allclose(ours, theirs.detach().numpy(), rtol=1e-12, atol=1e-14)


def test_torch_dropout_scales_kept_units_by_one_over_keep_as_our_masks_do():
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    layer = torch.nn.Dropout(p=0.3).train()
    out = layer(torch.ones(2000, dtype=torch.float64))
    assert set(np.unique(out.numpy()).round(12)) == {0.0, round(1 / 0.7, 12)}
    ours = dropout.draw_masks(np.random.default_rng(0), 1, [2000], 0.3)[0]
    assert set(np.unique(ours).round(12)) == {0.0, round(1 / 0.7, 12)}


def test_inverted_dropout_keeps_the_expected_activation_exactly():
    """Sum over all 2^n masks, each weighted by its probability: E[h * m] = h."""
    h = np.array([0.3, -1.2, 2.0, 0.7])
    for drop in (0.2, 0.5, 0.8):
        keep = 1 - drop
        expected = np.zeros_like(h)
        for kept in itertools.product((0, 1), repeat=len(h)):
            kept = np.array(kept)
            probability = np.prod(np.where(kept == 1, keep, drop))
            expected += probability * h * kept / keep
        np.testing.assert_allclose(expected, h, rtol=1e-13)


def test_drawn_masks_keep_units_with_probability_one_minus_p():
    masks = dropout.draw_masks(np.random.default_rng(3), 400, [250], 0.5)[0]
    kept = masks != 0
    share = kept.mean()
    assert abs(share - 0.5) < 5 * math.sqrt(0.25 / kept.size)  # five standard errors
    assert masks.mean() == pytest.approx(1.0, abs=5 * math.sqrt(1.0 / kept.size))


def test_weight_decay_step_is_the_gradient_step_of_the_l2_penalty():
    weights, biases, inputs, targets = small_network(2)
    decay = 0.05

    def penalized(ws):
        prediction = dropout.forward(ws, biases, inputs, TANH).prediction
        return (0.5 * np.mean((prediction - targets) ** 2)
                + dropout.weight_penalty(ws, decay))

    _, weight_grads, _ = dropout.backward(dropout.forward(weights, biases, inputs, TANH),
                                          weights, targets, TANH)
    for k, (weight, grad) in enumerate(zip(weights, weight_grads, strict=True)):
        index = (0, 0)
        step = 1e-6
        plus = [w.copy() for w in weights]
        minus = [w.copy() for w in weights]
        plus[k][index] += step
        minus[k][index] -= step
        numeric = (penalized(plus) - penalized(minus)) / (2 * step)
        analytic = grad[index] + decay * weight[index]
        assert numeric == pytest.approx(analytic, rel=1e-6, abs=1e-10), k


def test_the_backward_pass_with_masks_matches_central_differences():
    weights, biases, inputs, targets = small_network(4)
    masks = dropout.draw_masks(np.random.default_rng(5), 6, [5, 4], 0.4)

    def loss(ws):
        return dropout.backward(dropout.forward(ws, biases, inputs, TANH, masks), ws,
                                targets, TANH)[0]

    _, weight_grads, _ = dropout.backward(dropout.forward(weights, biases, inputs, TANH,
                                                          masks), weights, targets, TANH)
    for k, grad in enumerate(weight_grads):
        plus = [w.copy() for w in weights]
        minus = [w.copy() for w in weights]
        plus[k][0, 0] += 1e-6
        minus[k][0, 0] -= 1e-6
        numeric = (loss(plus) - loss(minus)) / 2e-6
        assert numeric == pytest.approx(grad[0, 0], rel=1e-6, abs=1e-10), k


def run(seed=0, **raw):
    return regularization.run(validate(regularization.RegularizationParams, raw), seed)


@pytest.mark.parametrize("seed", range(3))
def test_without_regularization_the_network_overfits(seed):
    data = run(seed).to_dict()
    assert data["final_train_loss"] < 0.1 * data["noise_floor"]
    assert data["final_validation_loss"] > 1.05 * data["best_validation_loss"]


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("regularizer", ["weight_decay", "dropout"])
def test_both_regularizers_end_with_a_lower_validation_loss(seed, regularizer):
    plain = run(seed).to_dict()
    regularized = run(seed, regularizer=regularizer).to_dict()
    assert regularized["final_validation_loss"] < plain["final_validation_loss"]
    assert regularized["final_train_loss"] > 10 * plain["final_train_loss"]


def test_validation_examples_do_not_change_the_training_set_or_the_weights():
    small = run(validation_samples=50, steps=20).to_dict()
    large = run(validation_samples=400, steps=20).to_dict()
    assert small["train_losses"] == large["train_losses"]


def test_records_at_most_a_hundred_and_one_steps_the_last_included():
    data = run(steps=1000).to_dict()
    assert len(data["steps"]) == 101 and data["steps"][-1] == 1000
    assert run(steps=7).to_dict()["steps"] == list(range(8))


def test_same_seed_same_numbers():
    assert run(1, steps=30).to_dict() == run(1, steps=30).to_dict()


def test_a_diverging_run_stops_and_is_reported():
    data = run(learning_rate=10.0, steps=200, init="normal", init_std=3.0).to_dict()
    assert data["diverged"]
    assert len(data["steps"]) < 101 or data["steps"][-1] < 200


def test_costly_runs_are_refused():
    with pytest.raises(ParameterError) as raised:
        validate(regularization.RegularizationParams,
                 {"steps": 10_000, "depth": 12, "width": 256})
    assert raised.value.errors["steps"].code == "too_costly"
