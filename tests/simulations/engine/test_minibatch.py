"""Mini-batch gradients: closed-form spread, unbiasedness, epochs, and SGD itself."""

import itertools
import json

import numpy as np
import pytest

from simulations.engine import minibatch
from simulations.engine.core import ParameterError, validate


def params(**raw):
    return validate(minibatch.MinibatchParams, raw)


def small_regression(seed=0, samples=64, features=5):
    return minibatch.make_regression(np.random.default_rng(seed), samples, features, 0.5)


def test_per_example_and_batch_gradients_match_torch_autograd():
    torch = pytest.importorskip("torch")
    data = small_regression()
    weights = np.random.default_rng(1).standard_normal(5)
    w = torch.tensor(weights, dtype=torch.float64, requires_grad=True)
    x = torch.tensor(data.inputs, dtype=torch.float64)
    y = torch.tensor(data.targets, dtype=torch.float64)
    per_example = []
    for n in range(len(y)):
        (grad,) = torch.autograd.grad(0.5 * (x[n] @ w - y[n]) ** 2, w)
        per_example.append(grad.numpy())
    np.testing.assert_allclose(data.per_example_gradients(weights), per_example, rtol=1e-12)
    rows = np.array([3, 17, 40, 41])
    (batch,) = torch.autograd.grad(0.5 * torch.mean((x[rows] @ w - y[rows]) ** 2), w)
    np.testing.assert_allclose(data.batch_gradient(weights, rows), batch.numpy(), rtol=1e-12)
    assert data.loss(weights) == pytest.approx(float(0.5 * torch.mean((x @ w - y) ** 2).detach()))


def test_the_batch_gradient_is_the_central_difference_of_the_batch_loss():
    data = small_regression()
    rows = np.arange(10)
    batch = minibatch.Regression(data.inputs[rows], data.targets[rows])
    weights = np.full(5, 0.3)
    numerical = [(batch.loss(weights + h) - batch.loss(weights - h)) / 2e-6
                 for h in np.eye(5) * 1e-6]
    np.testing.assert_allclose(data.batch_gradient(weights, rows), numerical, rtol=1e-7)


@pytest.mark.parametrize("batch_size", [1, 2, 3, 5])
@pytest.mark.parametrize("sampling", minibatch.SAMPLINGS)
def test_the_closed_form_spread_is_exact_over_every_possible_batch(batch_size, sampling):
    """Enumerate every batch of a tiny data set: the mean spread is the formula's, exactly."""
    gradients = small_regression(samples=6).per_example_gradients(np.zeros(5))
    full = gradients.mean(axis=0)
    variance = np.mean(np.sum((gradients - full) ** 2, axis=1))
    if sampling == "without_replacement":
        batches = itertools.combinations(range(6), batch_size)
    else:  # every ordered sequence of independent picks
        batches = itertools.product(range(6), repeat=batch_size)
    spreads = [np.sum((gradients[list(b)].mean(axis=0) - full) ** 2) for b in batches]
    expected = minibatch.predicted_spread(variance, batch_size, 6, sampling)
    assert np.mean(spreads) == pytest.approx(expected, rel=1e-12)


def per_draw_spreads(gradients, batch_size, draws, sampling, seed):
    """Return ||g_B - g||^2 of independent draws (a second, unnested implementation)."""
    rng = np.random.default_rng(seed)
    full = gradients.mean(axis=0)
    if sampling == "with_replacement":
        rows = rng.integers(0, len(gradients), size=(draws, batch_size))
    else:
        rows = np.array([rng.choice(len(gradients), batch_size, replace=False)
                         for _ in range(draws)])
    return np.sum((gradients[rows].mean(axis=1) - full) ** 2, axis=1)


@pytest.mark.parametrize("sampling", minibatch.SAMPLINGS)
@pytest.mark.parametrize("seed", range(3))
def test_the_measured_spread_matches_the_closed_form_within_five_standard_errors(
        sampling, seed):
    raw = {"samples": 512, "features": 8, "draws": 2000, "sampling": sampling,
           "batch_size": 24, "epochs": 1}
    result = minibatch.run(params(**raw), seed)
    gradients = minibatch.make_regression(
        np.random.default_rng(np.random.SeedSequence(seed).spawn(3)[0]), 512, 8, 0.5
    ).per_example_gradients(np.zeros(8))
    for batch_size, measured, predicted in zip(result.batch_sizes, result.spreads,
                                               result.predicted, strict=True):
        reference = per_draw_spreads(gradients, batch_size, 2000, sampling, seed + 100)
        standard_error = reference.std() / np.sqrt(2000)
        assert abs(measured - predicted) < 5 * standard_error + 1e-12, batch_size
        assert abs(reference.mean() - predicted) < 5 * standard_error + 1e-12, batch_size
    assert 24 in result.batch_sizes


@pytest.mark.parametrize("seed", range(5))
def test_the_spread_falls_as_one_over_b_on_log_log_axes(seed):
    result = minibatch.run(params(), seed)
    assert result.slope == pytest.approx(-1.0, abs=0.07)
    # The closed form's own slope over the same sizes (B <= N/8) is within 0.07 of -1.
    closed = minibatch.fitted_slope(result.batch_sizes, result.predicted, 1024)
    assert closed == pytest.approx(-1.0, abs=0.07)


def test_without_replacement_the_whole_data_set_has_no_spread():
    result = minibatch.run(params(samples=64, batch_size=64, epochs=1), 0)
    assert result.spreads[-1] == pytest.approx(0.0, abs=1e-20)
    assert result.predicted[-1] == 0.0


@pytest.mark.parametrize("sampling", minibatch.SAMPLINGS)
def test_a_mini_batch_gradient_is_an_unbiased_estimate_of_the_full_gradient(sampling):
    gradients = small_regression(samples=200, features=8).per_example_gradients(np.zeros(8))
    full = gradients.mean(axis=0)
    draws = 4000
    rows = minibatch.draw_indices(np.random.default_rng(3), draws, 200, 10, sampling)
    estimates = gradients[rows].mean(axis=1)  # (draws, d)
    error = np.sum((estimates.mean(axis=0) - full) ** 2)
    # The mean of the draws is off by spread / draws in expectation (a chi-square with
    # 8 degrees of freedom): 4 times that is beyond its 99.9th percentile.
    spread = np.mean(np.sum((estimates - full) ** 2, axis=1))
    assert error < 4 * spread / draws


@pytest.mark.parametrize("batch_size", [8, 16, 64])
def test_the_batches_of_one_epoch_average_to_the_full_gradient(batch_size):
    data = small_regression(samples=64)
    weights = np.linspace(-1, 1, 5)
    batches = minibatch.epoch_batches(np.random.default_rng(0), 64, batch_size)
    average = np.mean([data.batch_gradient(weights, rows) for rows in batches], axis=0)
    np.testing.assert_allclose(average, data.batch_gradient(weights, np.arange(64)),
                               rtol=1e-12)


@pytest.mark.parametrize(("samples", "batch_size"), [(64, 8), (100, 32), (17, 1), (16, 16)])
def test_shuffling_uses_every_example_exactly_once_per_epoch(samples, batch_size):
    rng = np.random.default_rng(5)
    first = minibatch.epoch_batches(rng, samples, batch_size)
    second = minibatch.epoch_batches(rng, samples, batch_size)
    for epoch in (first, second):
        assert sorted(np.concatenate(epoch).tolist()) == list(range(samples))
        assert [len(rows) for rows in epoch[:-1]] == [batch_size] * (len(epoch) - 1)
        assert len(epoch[-1]) == samples - batch_size * (len(epoch) - 1)
    if samples > batch_size:
        assert not np.array_equal(np.concatenate(first), np.concatenate(second))


def test_with_the_whole_data_set_as_batch_sgd_is_gradient_descent():
    raw = {"samples": 128, "features": 4, "batch_size": 128, "epochs": 7,
           "learning_rate": 0.1}
    result = minibatch.run(params(**raw), 2)
    data = minibatch.make_regression(
        np.random.default_rng(np.random.SeedSequence(2).spawn(3)[0]), 128, 4, 0.5)
    # Full-batch GD on least squares: w_{t+1} = w_t - eta X^T (X w_t - y) / N.
    weights, losses = np.zeros(4), [data.loss(np.zeros(4))]
    for _ in range(7):
        weights = weights - 0.1 * data.inputs.T @ (data.inputs @ weights - data.targets) / 128
        losses.append(data.loss(weights))
    np.testing.assert_allclose(result.curve.losses, losses, rtol=1e-12)
    assert result.curve.epochs_seen == list(range(8))
    assert result.curve.updates == 7


def test_the_loss_is_recorded_sixteen_times_per_epoch_for_small_batches():
    result = minibatch.run(params(samples=256, batch_size=4, epochs=3), 0)
    assert result.curve.updates == 3 * 64
    np.testing.assert_allclose(result.curve.epochs_seen, np.arange(49) / 16)


def test_sgd_reaches_the_least_squares_loss_and_never_goes_below_it():
    result = minibatch.run(params(batch_size=16, epochs=10), 0)
    data = result.to_dict()
    assert min(data["losses"]) >= data["optimal_loss"] - 1e-12
    assert data["final_loss"] == pytest.approx(data["optimal_loss"], rel=0.05)
    json.dumps(data, allow_nan=False)


def test_a_too_large_learning_rate_diverges_and_is_reported():
    result = minibatch.run(params(samples=16, features=50, batch_size=16, learning_rate=1.0,
                                  epochs=50), 0)
    data = result.to_dict()
    assert data["diverged"]
    assert data["final_loss"] > minibatch.DIVERGENCE_FACTOR * data["losses"][0]
    assert data["updates"] < 50
    json.dumps(data, allow_nan=False)


@pytest.mark.parametrize(
    ("raw", "field", "code"),
    [
        ({"samples": 100, "batch_size": 101}, "batch_size", "batch_exceeds_samples"),
        ({"samples": 4096, "batch_size": 1, "epochs": 5}, "epochs", "too_costly"),
        ({"samples": 4096, "features": 50, "draws": 400}, "draws", "too_costly"),
        ({"sampling": "bootstrap"}, "sampling", "invalid_choice"),
        ({"samples": 8}, "samples", "min_value"),
    ],
)
def test_costly_or_inconsistent_parameters_are_refused(raw, field, code):
    with pytest.raises(ParameterError) as caught:
        params(**raw)
    assert caught.value.errors[field].code == code
