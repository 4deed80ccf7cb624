"""Backpropagation in matrix form against the per-example equations, finite differences
and torch autograd."""

import numpy as np
import pytest

from simulations.engine import backprop_matrix
from simulations.engine.core import validate

CONFIGS = [
    {},
    {"activation": "tanh", "batch_size": 5, "input_size": 4, "width": 5, "outputs": 3},
    {"activation": "relu", "init": "he_normal", "depth": 1, "batch_size": 1},
    {"activation": "leaky_relu", "depth": 2, "width": 2, "outputs": 1, "batch_size": 4},
]


def run(seed=0, **raw):
    return backprop_matrix.run(validate(backprop_matrix.BackpropMatrixParams, raw), seed)


def sigmoid_family_slope(activation, h):
    return {"sigmoid": h * (1 - h), "tanh": 1 - h * h, "relu": (h > 0) * 1.0,
            "leaky_relu": np.where(h > 0, 1.0, 0.01)}[activation]


def loss_from(result, layer, z):
    """Return the batch loss when layer ``layer``'s pre-activations are replaced by z."""
    from simulations.engine.activations import ACTIVATIONS

    f = ACTIVATIONS[result.params.activation].function
    count = len(result.weights)
    h = z if layer == count else f(z.copy())
    for k in range(layer, count):
        z_next = h @ result.weights[k] + result.biases[k]
        h = z_next if k == count - 1 else f(z_next.copy())
    return 0.5 * np.sum((h - result.targets) ** 2) / z.shape[0]


@pytest.mark.parametrize("raw", CONFIGS)
def test_the_four_equations_per_example_in_nielsens_column_layout(raw):
    result = run(seed=3, **raw)
    batch = result.inputs.shape[0]
    weight_sums = [np.zeros_like(w.T) for w in result.weights]  # Nielsen's (n_l, n_{l-1})
    for b in range(batch):
        hs = [result.inputs[b][:, None]] + [h[b][:, None] for h in result.activations]
        delta = (hs[-1] - result.targets[b][:, None]) / batch  # linear output, cost / B
        for layer in range(len(result.weights), 0, -1):
            assert np.allclose(result.deltas[layer - 1][b], delta[:, 0], rtol=1e-12, atol=1e-15)
            weight_sums[layer - 1] += delta @ hs[layer - 1].T
            if layer > 1:
                slope = sigmoid_family_slope(result.params.activation, hs[layer - 1])
                delta = (result.weights[layer - 1] @ delta) * slope  # (W^l)^T in his layout
    for grad, nielsen in zip(result.weight_grads, weight_sums, strict=True):
        assert np.allclose(grad, nielsen.T, rtol=1e-12, atol=1e-15)
    for grad, delta in zip(result.bias_grads, result.deltas, strict=True):
        assert np.allclose(grad, delta.sum(axis=0))


@pytest.mark.parametrize("raw", CONFIGS[:2])
def test_deltas_and_weight_gradients_match_central_differences(raw):
    result = run(seed=1, **raw)
    eps = 1e-6
    for layer, (z, delta) in enumerate(zip(result.preactivations, result.deltas, strict=True),
                                       start=1):
        numerical = np.zeros_like(z)
        for index in np.ndindex(z.shape):
            plus, minus = z.copy(), z.copy()
            plus[index] += eps
            minus[index] -= eps
            numerical[index] = (loss_from(result, layer, plus)
                                - loss_from(result, layer, minus)) / (2 * eps)
        assert np.linalg.norm(numerical - delta) <= 1e-7 * np.linalg.norm(delta) + 1e-12


@pytest.mark.parametrize("raw", CONFIGS)
def test_every_matrix_matches_torch_autograd_in_float64(raw):
    torch = pytest.importorskip("torch")
    result = run(seed=2, **raw)
    f = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu,
         "leaky_relu": lambda z: torch.nn.functional.leaky_relu(z, 0.01)}[
        result.params.activation]
    weights = [torch.tensor(w, requires_grad=True) for w in result.weights]
    biases = [torch.tensor(b, requires_grad=True) for b in result.biases]
    h = torch.tensor(result.inputs)
    zs = []
    for k, (w, b) in enumerate(zip(weights, biases, strict=True)):
        z = h @ w + b
        z.retain_grad()
        zs.append(z)
        h = z if k == len(weights) - 1 else f(z)
    loss = 0.5 * ((h - torch.tensor(result.targets)) ** 2).sum() / h.shape[0]
    loss.backward()
    assert result.loss == pytest.approx(loss.item(), rel=1e-12)
    for ours, z in zip(result.deltas, zs, strict=True):
        assert np.allclose(ours, z.grad.numpy(), rtol=1e-10, atol=1e-14)
    for ours, w in zip(result.weight_grads, weights, strict=True):
        assert np.allclose(ours, w.grad.numpy(), rtol=1e-10, atol=1e-14)
    for ours, b in zip(result.bias_grads, biases, strict=True):
        assert np.allclose(ours, b.grad.numpy(), rtol=1e-10, atol=1e-14)


def test_shapes_follow_the_batch_major_layout_and_weight_gradients_ignore_the_batch():
    for batch in (1, 5):
        data = run(batch_size=batch).to_dict()
        assert data["sizes"] == [3, 4, 4, 2]
        assert data["delta_shapes"] == [[batch, 4], [batch, 4], [batch, 2]]
        assert data["weight_grad_shapes"] == [[3, 4], [4, 4], [4, 2]]
        assert [len(g) for g in data["bias_grads"]] == [4, 4, 2]


def test_the_same_seed_gives_the_same_numbers_and_another_seed_others():
    assert run(seed=4).to_dict() == run(seed=4).to_dict()
    assert run(seed=4).to_dict()["deltas"] != run(seed=5).to_dict()["deltas"]
