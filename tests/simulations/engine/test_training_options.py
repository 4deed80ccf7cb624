"""Training with the new network options: the first step's gradient against torch."""

from __future__ import annotations

import math

import numpy as np
import pytest

from simulations.engine import training
from simulations.engine.core import validate

torch = pytest.importorskip("torch")
F = torch.nn.functional


@pytest.mark.parametrize(
    "overrides",
    [
        {
            "activation": "leaky_relu",
            "leaky_relu_slope": 0.2,
            "init": "he_normal",
            "he_gain_for": "leaky_relu",
        },
        {"activation": "tanh", "init": "orthogonal", "init_gain": 1.3},
        {
            "activation": "relu",
            "init": "pytorch_default",
            "batch_norm": True,
            "batch_norm_eps": 0.01,
        },
    ],
)
def test_first_step_gradient_norm_equals_torch(overrides):
    params = validate(
        training.TrainingParams,
        {"depth": 3, "width": 8, "samples": 32, "batch_size": 8, "steps": 1} | overrides,
    )
    weight_seed, data_seed, batch_seed = np.random.SeedSequence(4).spawn(3)
    inputs, targets = training.draw_data_set(np.random.default_rng(data_seed), 32, 8)
    weights, biases = training.draw_network(params, np.random.default_rng(weight_seed))
    batch = np.random.default_rng(batch_seed).choice(32, size=8, replace=False)
    tw = [torch.tensor(w, requires_grad=True) for w in weights]
    tb = [None if b is None else torch.tensor(b, requires_grad=True) for b in biases]
    f = {
        "tanh": torch.tanh,
        "relu": torch.relu,
        "leaky_relu": lambda z: F.leaky_relu(z, params.leaky_relu_slope),
    }[params.activation]
    h = torch.tensor(inputs[batch])
    for weight, bias in zip(tw[:-1], tb[:-1], strict=True):
        z = h @ weight if bias is None else h @ weight + bias
        if params.batch_norm:
            z = F.batch_norm(z, None, None, training=True, eps=params.batch_norm_eps)
        h = f(z)
    outputs = h @ tw[-1] + tb[-1]
    loss = 0.5 * ((outputs - torch.tensor(targets[batch])) ** 2).sum(dim=1).mean()
    loss.backward()
    norm = math.sqrt(sum(float((p.grad**2).sum()) for p in tw + tb if p is not None))
    result = training.run(params, 4)
    assert result.losses[0] == pytest.approx(loss.item(), rel=1e-12)
    assert result.grad_norms[0] == pytest.approx(norm, rel=1e-10)
