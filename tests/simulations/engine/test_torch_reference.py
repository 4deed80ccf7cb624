"""The engine's gradients against torch autograd in float64, on identical numbers."""

import itertools

import numpy as np
import pytest

from simulations.engine.activations import LEAKY_RELU_SLOPE, NAMES
from simulations.engine.initializers import SCHEMES
from simulations.engine.network import BN_EPS, backpropagate, build_network

torch = pytest.importorskip("torch")

TORCH_ACTIVATIONS = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "leaky_relu": lambda z: torch.nn.functional.leaky_relu(z, LEAKY_RELU_SLOPE),
}


def torch_backprop(weights, biases, inputs, targets, activation, batch_norm):
    """Return torch's loss, dL/dW, dL/db and dL/dh (h_0 .. h_L) for the same network."""
    f = TORCH_ACTIVATIONS[activation]
    tw = [torch.tensor(w, requires_grad=True) for w in weights]
    tb = [None if b is None else torch.tensor(b, requires_grad=True) for b in biases]
    h = torch.tensor(inputs, requires_grad=True)
    hs = [h]
    for weight, bias in zip(tw[:-1], tb[:-1], strict=True):
        z = hs[-1] @ weight if bias is None else torch.addmm(bias, hs[-1], weight)
        if batch_norm:
            z = torch.nn.functional.batch_norm(z, None, None, training=True, eps=BN_EPS)
        hs.append(f(z))
        hs[-1].retain_grad()
    outputs = torch.addmm(tb[-1], hs[-1], tw[-1])
    loss = 0.5 * ((outputs - torch.tensor(targets)) ** 2).sum(dim=1).mean()
    loss.backward()
    grads_b = [None if b is None else b.grad.numpy() for b in tb]
    return (loss.item(), [w.grad.numpy() for w in tw], grads_b, [x.grad.numpy() for x in hs])


def assert_close(engine: np.ndarray, reference: np.ndarray):
    scale = np.linalg.norm(reference)
    assert np.linalg.norm(engine - reference) <= 1e-10 * scale


@pytest.mark.parametrize(
    ("activation", "batch_norm", "init"),
    list(itertools.product(NAMES, (False, True), ("he_normal", "glorot_uniform"))),
)
def test_gradients_equal_torch_autograd(activation, batch_norm, init):
    assert init in SCHEMES
    rng = np.random.default_rng(42)
    sizes = [6, 16, 16, 16, 16, 3]
    weights, biases = build_network(rng, sizes, init=init, init_std=1.0, batch_norm=batch_norm)
    biases = [None if b is None else 0.1 * rng.standard_normal(b.shape) for b in biases]
    inputs = rng.standard_normal((10, 6))
    targets = rng.standard_normal((10, 3))
    result = backpropagate(
        weights, biases, inputs, targets, activation=activation, batch_norm=batch_norm
    )
    loss, grads_w, grads_b, grads_h = torch_backprop(
        weights, biases, inputs, targets, activation, batch_norm
    )
    assert result.loss == pytest.approx(loss, rel=1e-12)
    for engine, reference in zip(result.weight_grads, grads_w, strict=True):
        assert_close(engine, reference)
    for engine, reference in zip(result.bias_grads, grads_b, strict=True):
        assert (engine is None) == (reference is None)
        if engine is not None:
            assert_close(engine, reference)
    for engine, reference in zip(result.hidden_grads, grads_h, strict=True):
        assert_close(engine, reference)
