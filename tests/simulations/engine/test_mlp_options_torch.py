"""The MLP simulation's new options and outputs against torch autograd on identical numbers.

Each case draws the network and batch with ``mlp.draw_problem``, rebuilds the same network
in torch (leaky slope, batch-norm eps, k outputs, loss convention), and compares the
loss, every dL/dz, the per-example norms (by backpropagating each example's own loss
l_b separately, one at a time) and the reported root mean squares.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulations.engine import losses, mlp
from simulations.engine.core import validate

torch = pytest.importorskip("torch")
F = torch.nn.functional


def activation_of(params: mlp.MLPParams):
    return {
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "relu": torch.relu,
        "leaky_relu": lambda z: F.leaky_relu(z, params.leaky_relu_slope),
    }[params.activation]


def torch_loss(params: mlp.MLPParams, outputs, targets):
    """Return L of the convention, written from its definition, not from the engine."""
    if params.loss == "half_squared_error":
        return 0.5 * ((outputs - targets) ** 2).sum(dim=1).mean()
    if params.loss == "mean_squared_error":
        return torch.nn.MSELoss()(outputs, targets)
    return (targets * outputs).sum()  # probe: targets are the probe vectors g_b


def torch_forward(params: mlp.MLPParams, weights, biases, inputs):
    """Return (outputs, [z_1 .. z_L] with grads retained, [h_0 .. h_L])."""
    f = activation_of(params)
    hs, zs = [inputs], []
    for weight, bias in zip(weights[:-1], biases[:-1], strict=True):
        z = hs[-1] @ weight if bias is None else hs[-1] @ weight + bias
        z.retain_grad()
        zs.append(z)
        if params.batch_norm:
            z = F.batch_norm(z, None, None, training=True, eps=params.batch_norm_eps)
        hs.append(f(z))
        hs[-1].retain_grad()
    return hs[-1] @ weights[-1] + biases[-1], zs, hs


def to_torch(arrays, grad=False):
    return [
        None if a is None else torch.tensor(a, dtype=torch.float64, requires_grad=grad)
        for a in arrays
    ]


def rms(rows) -> float:
    return float(np.sqrt(np.mean(np.sum(rows**2, axis=1))))


CASES = [
    {
        "activation": "leaky_relu",
        "leaky_relu_slope": 0.3,
        "init": "he_normal",
        "he_gain_for": "leaky_relu",
        "loss": "probe",
        "outputs": 3,
    },
    {
        "activation": "tanh",
        "init": "orthogonal",
        "init_gain": 1.1,
        "loss": "mean_squared_error",
        "outputs": 4,
        "input_size": 5,
        "input_distribution": "uniform",
    },
    {
        "activation": "relu",
        "init": "pytorch_default",
        "input_distribution": "sign",
        "input_size": 20,
    },
    {
        "activation": "sigmoid",
        "init": "glorot_uniform",
        "batch_norm": True,
        "batch_norm_eps": 0.3,
        "loss": "probe",
        "outputs": 2,
    },
    {
        "activation": "leaky_relu",
        "leaky_relu_slope": 0.0,
        "init": "he_uniform",
        "batch_norm": True,
        "loss": "mean_squared_error",
        "outputs": 3,
    },
]


@pytest.mark.parametrize("overrides", CASES)
def test_loss_and_preactivation_gradients_equal_torch(overrides):
    params = validate(mlp.MLPParams, {"depth": 4, "width": 12, "batch_size": 6} | overrides)
    weights, biases, inputs, targets = mlp.draw_problem(params, 7)
    result = mlp.run(params, 7)
    tw, tb = to_torch(weights), to_torch(biases)
    outputs, zs, hs = torch_forward(params, tw, tb, to_torch([inputs], grad=True)[0])
    loss = torch_loss(params, outputs, torch.tensor(targets))
    loss.backward()
    batch = params.batch_size
    scale = 1 if params.loss == "probe" else batch
    assert result.loss == pytest.approx(loss.item(), rel=1e-12)
    expected = [scale * rms(z.grad.numpy()) for z in zs]
    np.testing.assert_allclose(result.preactivation_grad_norms, expected, rtol=1e-10)
    expected = [scale * rms(h.grad.numpy()) for h in hs[1:]]
    np.testing.assert_allclose(result.hidden_grad_norms, expected, rtol=1e-10)
    assert result.input_grad_norm == pytest.approx(scale * rms(hs[0].grad.numpy()), rel=1e-10)
    assert result.input_mean_square == pytest.approx(float(np.mean(inputs**2)), rel=1e-14)
    assert result.to_dict()["loss_definition"] == losses.DEFINITIONS[params.loss]


@pytest.mark.parametrize("overrides", [c for c in CASES if not c.get("batch_norm")])
def test_per_example_norms_equal_each_examples_own_backward_pass(overrides):
    """sqrt(mean_b ||dl_b/dW||_F^2) with l_b backpropagated alone, one example at a time.

    Without batch norm examples do not interact, so example b's own loss l_b (L = mean_b
    l_b, or sum_b l_b for the probe) run on b alone gives its per-example gradient.
    """
    params = validate(mlp.MLPParams, {"depth": 3, "width": 10, "batch_size": 5} | overrides)
    weights, biases, inputs, targets = mlp.draw_problem(params, 2)
    result = mlp.run(params, 2)
    squares = np.zeros(len(weights))
    hidden_squares = np.zeros(params.depth)
    for b in range(params.batch_size):
        tw, tb = to_torch(weights, grad=True), to_torch(biases)
        outputs, _, hs = torch_forward(params, tw, tb, torch.tensor(inputs[b : b + 1]))
        # One example's loss l_b: the convention's per-example term, batch of one.
        torch_loss(params, outputs, torch.tensor(targets[b : b + 1])).backward()
        squares += [float(torch.sum(w.grad**2)) for w in tw]
        hidden_squares += [float(torch.sum(h.grad**2)) for h in hs[1:]]
    expected = np.sqrt(squares / params.batch_size)
    np.testing.assert_allclose(result.weight_grad_rms_per_example, expected, rtol=1e-10)
    np.testing.assert_allclose(
        result.hidden_grad_norms, np.sqrt(hidden_squares / params.batch_size), rtol=1e-10
    )


def test_probe_gradient_has_unit_mean_square_whatever_the_batch():
    """dL/dy_b = g_b ~ N(0, I/k): the output gradient's per-example RMS is about 1."""
    for batch in (8, 256):
        params = validate(
            mlp.MLPParams,
            {"depth": 2, "width": 8, "batch_size": batch, "loss": "probe", "outputs": 16},
        )
        result = mlp.run(params, 0)
        assert 0.8 < result.output_grad_norm < 1.2
