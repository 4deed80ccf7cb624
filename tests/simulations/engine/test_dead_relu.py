"""Dying ReLUs: the engine against torch autograd, the dead count against a plain recount."""

import dataclasses
import json

import numpy as np
import pytest

from simulations.engine import dead_relu
from simulations.engine.core import ParameterError, validate

torch = pytest.importorskip("torch")


def params(**raw) -> dead_relu.DeadReluParams:
    return validate(dead_relu.DeadReluParams, {"sweep_points": 0, **raw})


def streams(p, seed):
    data_rng, weight_rng, batch_rng = (np.random.default_rng(s)
                                       for s in np.random.SeedSequence(seed).spawn(3))
    data = dead_relu.make_data(data_rng, p.examples)
    start = dead_relu.initial_network(p, weight_rng)
    batches = [batch_rng.choice(p.examples, p.batch_size, replace=False) for _ in range(p.steps)]
    return data, start, batches


def torch_train(p, rate, data, start, batches):
    """Train the same network with torch autograd, step by step as the engine does."""
    inputs, labels = (torch.tensor(a, dtype=torch.float64) for a in data)
    weights = [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in start[0]]
    biases = [torch.tensor(b, dtype=torch.float64, requires_grad=True) for b in start[1]]
    slope = 0.0 if p.activation == "relu" else 0.01

    def forward(x):
        h, pre = x, []
        for w, b in zip(weights[:-1], biases[:-1], strict=True):
            z = h @ w + b
            pre.append(z)
            h = torch.nn.functional.leaky_relu(z, slope)
        return h @ weights[-1] + biases[-1], pre

    def step(rows, lr):
        logits, _ = forward(inputs[rows])
        loss = torch.nn.functional.softplus(-labels[rows] * logits).mean()
        grads = torch.autograd.grad(loss, weights + biases)
        with torch.no_grad():
            for tensor, grad in zip(weights + biases, grads, strict=True):
                tensor -= lr * grad

    for rows in batches:
        step(torch.tensor(rows), rate)
    with torch.no_grad():
        dead = [torch.all(z <= 0, dim=0).numpy() for z in forward(inputs)[1]]
    for _ in range(p.recovery_steps):
        step(slice(None), p.recovery_rate)
    return dead, [w.detach().numpy() for w in weights], [b.detach().numpy() for b in biases]


@pytest.mark.parametrize(("activation", "layers", "rate", "bias"),
                         [("relu", 1, 10.0, 0.0), ("relu", 2, 5.0, 0.5),
                          ("leaky_relu", 1, 10.0, 0.0), ("relu", 3, 0.1, -0.5)])
def test_engine_matches_torch_autograd_weights_and_dead_set(activation, layers, rate, bias):
    p = params(activation=activation, hidden_layers=layers, learning_rate=rate,
               bias_init=bias, recovery_steps=20)
    data, start, batches = streams(p, 3)
    ours = dead_relu.train(p, rate, data, start, batches)
    dead, weights, biases = torch_train(p, rate, data, start, batches)
    for mine, theirs in zip(ours.dead_after_steps, dead, strict=True):
        np.testing.assert_array_equal(mine, theirs)
    for mine, theirs in zip(ours.weights + ours.biases, weights + biases, strict=True):
        # Steps of size 10 amplify the two libraries' different summation orders (about
        # 1e-16) to about 1e-9 after 23 steps; the dead set, the phenomenon, is exact.
        np.testing.assert_allclose(mine, theirs, rtol=1e-7, atol=1e-9)


def recount(weights, biases, inputs):
    """Count, unit by unit and example by example, the units never above zero."""
    h, counts = inputs, []
    for w, b in zip(weights[:-1], biases[:-1], strict=True):
        z = h @ w + b
        counts.append(sum(all(z[n, j] <= 0 for n in range(len(z))) for j in range(z.shape[1])))
        h = np.maximum(z, 0.0)
    return counts


def test_dead_count_after_recovery_matches_an_independent_recount():
    p = params(hidden_layers=2, learning_rate=10.0)
    result = dead_relu.run(p, 0)
    data, _, _ = streams(p, 0)
    counts = recount(result.trained.weights, result.trained.biases, data[0])
    assert counts == [int(d.sum()) for d in result.trained.dead_after_recovery]
    assert result.to_dict()["dead_count_after_recovery"] == sum(counts)


@pytest.mark.parametrize("seed", range(5))
def test_dead_units_of_the_first_layer_stay_dead_and_unchanged(seed):
    p = params(learning_rate=10.0)
    data, start, batches = streams(p, seed)
    before = dead_relu.train(p, 10.0, data, start, batches)
    assert before.dead_after_steps[0].any()
    assert np.all(before.dead_after_recovery[0][before.dead_after_steps[0]])
    # Their incoming weights did not move during the recovery: a zero gradient, exactly.
    no_recovery = dead_relu.train(dataclasses.replace(p, recovery_steps=0), 10.0, data, start,
                                  batches)
    columns = before.dead_after_steps[0]
    np.testing.assert_array_equal(before.weights[0][:, columns],
                                  no_recovery.weights[0][:, columns])
    np.testing.assert_array_equal(before.biases[0][columns], no_recovery.biases[0][columns])


def test_small_rates_kill_nothing_and_large_ones_do():
    result = dead_relu.run(validate(dead_relu.DeadReluParams, {}), 0)
    sweep = dict(zip(result.sweep_rates, result.sweep_dead_after_steps, strict=True))
    assert all(share == 0 for rate, share in sweep.items() if rate <= 1)
    assert all(share > 0.25 for rate, share in sweep.items() if rate >= 9)
    data = result.to_dict()
    json.dumps(data, allow_nan=False)
    assert len(data["losses"]) == 3 + 200 + 1 and not data["diverged"]


def test_default_run_is_within_the_cost_bound_and_bad_sets_are_refused():
    assert validate(dead_relu.DeadReluParams, {}).cost().value <= dead_relu.MAX_COST
    with pytest.raises(ParameterError) as caught:
        validate(dead_relu.DeadReluParams, {"batch_size": 64, "examples": 32})
    assert "batch_size" in caught.value.errors
    with pytest.raises(ParameterError) as caught:
        validate(dead_relu.DeadReluParams, {"width": 256, "recovery_steps": 1000})
    assert caught.value.errors["recovery_steps"].code == "too_costly"
    with pytest.raises(ParameterError) as caught:  # cheap arithmetic, 26 x 1104 passes
        validate(dead_relu.DeadReluParams, {"width": 4, "examples": 16, "batch_size": 1,
                                            "steps": 50, "recovery_steps": 1000,
                                            "sweep_points": 25})
    assert caught.value.errors["recovery_steps"].code == "too_costly"
