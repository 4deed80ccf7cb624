"""Batch norm against torch's BatchNorm1d in float64: train and eval mode, running
statistics after k SGD steps, gradients, and the simulation's reported numbers."""

import copy

import numpy as np
import pytest

from simulations.engine import batch_norm, batch_norm_layers
from simulations.engine.activations import with_leak
from simulations.engine.core import validate
from simulations.engine.network import backpropagate

torch = pytest.importorskip("torch")

TORCH_ACTIVATIONS = {"sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh, "relu": torch.nn.ReLU}


def torch_model(weights, output_bias, activation, *, momentum, eps, batch_norm=True):
    """Build nn.Sequential(Linear(bias=False), BatchNorm1d, f, .., Linear) from our weights."""
    modules = []
    for weight in weights[:-1]:
        linear = torch.nn.Linear(*weight.shape, bias=not batch_norm, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(weight.T))
            if not batch_norm:
                linear.bias.zero_()
        modules.append(linear)
        if batch_norm:
            modules.append(torch.nn.BatchNorm1d(weight.shape[1], eps=eps, momentum=momentum,
                                                dtype=torch.float64))
        modules.append(TORCH_ACTIVATIONS[activation]())
    last = torch.nn.Linear(*weights[-1].shape, dtype=torch.float64)
    with torch.no_grad():
        last.weight.copy_(torch.from_numpy(weights[-1].T))
        last.bias.copy_(torch.from_numpy(output_bias))
    return torch.nn.Sequential(*modules, last)


def half_mse(outputs, targets):
    return 0.5 * ((outputs - targets) ** 2).sum() / outputs.shape[0]


def norms(model):
    return [m for m in model if isinstance(m, torch.nn.BatchNorm1d)]


def draw(seed=0, depth=4, width=6, batch=8, scale=1.0):
    rng = np.random.default_rng(seed)
    weights = [rng.standard_normal((width, width)) * scale / np.sqrt(width)
               for _ in range(depth)] + [rng.standard_normal((width, 1)) / np.sqrt(width)]
    return weights, rng.standard_normal(1), rng


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_gradients_and_running_statistics_after_k_steps_match_torch(activation):
    weights, bias, rng = draw(scale=2.0)
    f = with_leak(activation)
    net = batch_norm_layers.BatchNormNetwork.from_weights(weights, bias, eps=1e-3)
    model = torch_model(weights, bias, activation, momentum=0.3, eps=1e-3)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(5):
        x, t = rng.standard_normal((8, 6)) * 3 + 1, rng.standard_normal((8, 1))
        passed = batch_norm_layers.forward_training(net, x, f, momentum=0.3)
        grads = batch_norm_layers.backward(net, passed, t, f)
        optimizer.zero_grad()
        loss = half_mse(model(torch.from_numpy(x)), torch.from_numpy(t))
        loss.backward()
        assert grads.loss == pytest.approx(loss.item(), rel=1e-12)
        linears = [m for m in model if isinstance(m, torch.nn.Linear)]
        for ours, theirs in zip(grads.weights, linears, strict=True):
            np.testing.assert_allclose(ours, theirs.weight.grad.numpy().T, rtol=1e-9, atol=1e-13)
        np.testing.assert_allclose(grads.output_bias, linears[-1].bias.grad.numpy(), rtol=1e-9)
        for gamma, beta, layer in zip(grads.gammas, grads.betas, norms(model), strict=True):
            np.testing.assert_allclose(gamma, layer.weight.grad.numpy(), rtol=1e-9, atol=1e-13)
            np.testing.assert_allclose(beta, layer.bias.grad.numpy(), rtol=1e-9, atol=1e-13)
        optimizer.step()
        for parameter, grad in zip(net.parameters(), grads.arrays(), strict=True):
            parameter -= 0.1 * grad
    for k, layer in enumerate(norms(model)):  # torch's unbiased running variance
        np.testing.assert_allclose(net.running_means[k], layer.running_mean.numpy(), rtol=1e-10)
        np.testing.assert_allclose(net.running_vars[k], layer.running_var.numpy(), rtol=1e-10)
    x = rng.standard_normal((16, 6))
    model.eval()
    with torch.no_grad():
        expected = model(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(batch_norm_layers.forward_inference(net, x, f), expected,
                               rtol=1e-10)


def test_batch_statistics_of_groups_are_torch_train_mode_on_each_group():
    weights, bias, rng = draw(seed=1)
    f = with_leak("tanh")
    net = batch_norm_layers.BatchNormNetwork.from_weights(weights, bias)
    net.gammas[1] += 0.5
    net.betas[2] -= 0.25
    model = torch_model(weights, bias, "tanh", momentum=0.1, eps=1e-5)
    with torch.no_grad():
        norms(model)[1].weight += 0.5
        norms(model)[2].bias -= 0.25
    groups = rng.standard_normal((5, 4, 6))
    ours = batch_norm_layers.forward_batch_statistics(net, groups, f)
    for group, outputs in zip(groups, ours, strict=True):
        with torch.no_grad():
            expected = copy.deepcopy(model).train()(torch.from_numpy(group)).numpy()
        np.testing.assert_allclose(outputs, expected, rtol=1e-10)
        single = batch_norm_layers.forward_training(net, group, f, momentum=None).outputs
        np.testing.assert_allclose(outputs, single, rtol=1e-10)
    assert np.all(net.running_vars[0] == 1.0)  # evaluating changed nothing


def test_with_unit_gamma_and_zero_beta_it_is_the_shared_network_code():
    weights, bias, rng = draw(seed=2)
    f = with_leak("relu")
    x, t = rng.standard_normal((8, 6)), rng.standard_normal((8, 1))
    net = batch_norm_layers.BatchNormNetwork.from_weights(weights, bias)
    grads = batch_norm_layers.backward(
        net, batch_norm_layers.forward_training(net, x, f, momentum=0.1), t, f)
    shared = backpropagate(weights, [None] * 4 + [bias], x, t, activation=f, batch_norm=True)
    for ours, theirs in zip(grads.weights, shared.weight_grads, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)


PARAMS = {"depth": 4, "width": 8, "samples": 64, "held_out": 32, "batch_size": 8,
          "steps": 12, "learning_rate": 0.1, "activation": "tanh", "init": "he_normal"}


def test_a_run_reports_what_torch_computes_for_both_networks():
    params = validate(batch_norm.BatchNormParams, PARAMS)
    result = batch_norm.run(params, 3)
    (inputs, targets), weights, biases, batch_rng = batch_norm.draw_start(params, 3)
    train_x, train_t = (torch.from_numpy(a[:64]) for a in (inputs, targets))
    test_x, test_t = (torch.from_numpy(a[64:]) for a in (inputs, targets))
    models = {
        "bn": torch_model(weights, biases[-1], "tanh", momentum=0.1, eps=1e-5),
        "plain": torch_model(weights, biases[-1], "tanh", momentum=0.1, eps=1e-5,
                             batch_norm=False),
    }
    optimizers = {name: torch.optim.SGD(m.parameters(), lr=0.1) for name, m in models.items()}
    for step in range(12):
        batch = torch.from_numpy(batch_rng.choice(64, size=8, replace=False))
        for name, model in models.items():
            optimizers[name].zero_grad()
            loss = half_mse(model(train_x[batch]), train_t[batch])
            loss.backward()
            assert getattr(result, f"losses_{name}")[step] == pytest.approx(loss.item(),
                                                                              rel=1e-10)
            if step == 0:
                linears = [m for m in model if isinstance(m, torch.nn.Linear)][:-1]
                expected = [m.weight.grad.norm().item() for m in linears]
                np.testing.assert_allclose(getattr(result, f"grad_norms_{name}"), expected,
                                           rtol=1e-10)
            optimizers[name].step()
    for k, layer in enumerate(norms(models["bn"])):
        np.testing.assert_allclose(result.running_vars[k], layer.running_var.numpy(), rtol=1e-9)
        np.testing.assert_allclose(result.running_means[k], layer.running_mean.numpy(),
                                   rtol=1e-9, atol=1e-12)
    with torch.no_grad():
        assert result.held_out_loss_plain == pytest.approx(
            half_mse(models["plain"](test_x), test_t).item(), rel=1e-10)
        evaluated = models["bn"].eval()
        assert result.held_out_loss_running == pytest.approx(
            half_mse(evaluated(test_x), test_t).item(), rel=1e-10)
        training_mode = copy.deepcopy(models["bn"]).train()
        sizes = result.params.eval_batch_sizes
        assert sizes == [2, 4, 8, 16, 32]
        outputs = torch.cat([training_mode(test_x[i:i + 4]) for i in range(0, 32, 4)])
        assert result.held_out_loss_batch[1] == pytest.approx(
            half_mse(outputs, test_t).item(), rel=1e-10)
        gap = ((outputs - evaluated(test_x)) ** 2).mean().sqrt().item()
        assert result.output_gap_batch[1] == pytest.approx(gap, rel=1e-9)
