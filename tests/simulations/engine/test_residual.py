"""The residual gradient-flow engine against torch autograd, the MLP engine and its theory."""

import itertools
import json
import math

import numpy as np
import pytest
from django.utils import translation

from simulations.engine import mlp, residual
from simulations.engine.activations import LEAKY_RELU_SLOPE, NAMES
from simulations.engine.core import ParameterError, validate
from simulations.engine.network import build_network
from simulations.plots import residual as plots
from simulations.plots.common import Series

torch = pytest.importorskip("torch")

TORCH_ACTIVATIONS = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "leaky_relu": lambda z: torch.nn.functional.leaky_relu(z, LEAKY_RELU_SLOPE),
}


def torch_residual(weights, biases, inputs, targets, activation, residual_on, factor):
    """Return torch's loss, dL/dW, dL/db and dL/dh (h_0 .. h_L) of the same network."""
    f = TORCH_ACTIVATIONS[activation]
    tw = [torch.tensor(w, requires_grad=True) for w in weights]
    tb = [torch.tensor(b, requires_grad=True) for b in biases]
    hs = [torch.tensor(inputs, requires_grad=True)]
    for weight, bias in zip(tw[:-1], tb[:-1], strict=True):
        branch = f(torch.addmm(bias, hs[-1], weight))
        hs.append(hs[-1] + factor * branch if residual_on else branch)
        hs[-1].retain_grad()
    outputs = torch.addmm(tb[-1], hs[-1], tw[-1])
    loss = 0.5 * ((outputs - torch.tensor(targets)) ** 2).sum(dim=1).mean()
    loss.backward()
    return (loss.item(), [w.grad.numpy() for w in tw], [b.grad.numpy() for b in tb],
            [h.grad.numpy() for h in hs])


def assert_close(engine, reference):
    assert np.linalg.norm(engine - reference) <= 1e-10 * np.linalg.norm(reference)


@pytest.mark.parametrize(
    ("activation", "residual_on", "factor"),
    [(a, True, f) for a, f in itertools.product(NAMES, (1.0, 0.3))]
    + [(a, False, 1.0) for a in NAMES],
)
def test_gradients_equal_torch_autograd(activation, residual_on, factor):
    rng = np.random.default_rng(7)
    sizes = [12] * 9 + [2]
    weights, biases = build_network(rng, sizes, init="he_normal", init_std=1.0,
                                    batch_norm=False)
    biases = [0.1 * rng.standard_normal(b.shape) for b in biases]
    inputs, targets = rng.standard_normal((10, 12)), rng.standard_normal((10, 2))
    result = residual.backpropagate(weights, biases, inputs, targets, activation=activation,
                                    residual=residual_on, branch_factor=factor)
    loss, grads_w, grads_b, grads_h = torch_residual(weights, biases, inputs, targets,
                                                     activation, residual_on, factor)
    assert result.loss == pytest.approx(loss, rel=1e-12)
    for engine, reference in zip(result.weight_grads + result.bias_grads + result.hidden_grads,
                                 grads_w + grads_b + grads_h, strict=True):
        assert_close(engine, reference)


def run(seed=0, **raw):
    return residual.run(validate(residual.ResidualParams, raw), seed)


@pytest.mark.parametrize("activation", NAMES)
def test_plain_network_is_the_mlp_simulations_network(activation):
    raw = {"depth": 12, "width": 16, "activation": activation, "init": "glorot_normal",
           "batch_size": 8}
    plain = run(seed=3, residual=False, **raw)
    reference = mlp.run(validate(mlp.MLPParams, raw), 3)
    assert plain.loss == reference.loss
    np.testing.assert_allclose(plain.hidden_grad_norms, reference.hidden_grad_norms, rtol=1e-12)
    np.testing.assert_allclose(plain.weight_grad_norms, reference.weight_grad_norms, rtol=1e-12)
    np.testing.assert_allclose(plain.activation_stds, reference.activation_stds, rtol=1e-12)
    assert plain.branch_ratios is None


def test_shortcut_keeps_the_identity_in_every_layers_jacobian():
    """With linear-like zero branches (zero weights) the gradient crosses every layer unchanged."""
    params = validate(residual.ResidualParams, {"depth": 6, "width": 8, "batch_size": 4})
    weights, biases, inputs, targets = residual.draw_problem(params, 0)
    silent = [np.zeros_like(w) for w in weights[:-1]] + [weights[-1]]
    result = residual.backpropagate(silent, biases, inputs, targets, activation="tanh",
                                    residual=True)
    for grad in result.hidden_grads[:-1]:
        np.testing.assert_array_equal(grad, result.hidden_grads[-1])


@pytest.mark.parametrize("seed", range(3))
def test_shortcuts_stop_the_sigmoid_gradient_from_vanishing(seed):
    raw = {"depth": 50, "width": 64, "activation": "sigmoid", "init": "glorot_normal"}
    assert run(seed, residual=False, **raw).hidden_grad_ratio_first_to_last < 1e-20
    assert 0.5 < run(seed, residual=True, **raw).hidden_grad_ratio_first_to_last < 2


def test_tanh_blocks_add_variance_layer_after_layer():
    """Bounded branches (|tanh| <= 1) add a bounded variance each: linear growth, not geometric."""
    stds = run(depth=50, activation="tanh", init="glorot_normal").activation_stds
    steps = np.diff(stds**2)
    assert np.all(steps > 0) and np.all(steps < 2.0)
    assert 0.3 < stds[-1] ** 2 / 50 < 1.5


def test_relu_he_blocks_grow_the_scale_geometrically_and_the_scaling_tames_it():
    plain_scale = run(depth=50).activation_stds[-1]
    scaled = run(depth=50, branch_scale="inverse_sqrt_depth").activation_stds[-1]
    assert plain_scale > 1e9 and scaled < 30


def test_to_dict_is_json_and_branch_factor_follows_the_scale():
    data = run(depth=16, branch_scale="inverse_sqrt_depth").to_dict()
    json.dumps(data)
    assert data["branch_factor"] == pytest.approx(1 / math.sqrt(16))
    assert data["layers"] == list(range(1, 17))
    assert len(data["branch_ratios"]) == 16
    assert run(depth=4, residual=False).to_dict()["branch_factor"] is None


def test_same_seed_same_numbers():
    assert run(5, depth=10).to_dict() == run(5, depth=10).to_dict()


def test_costly_sizes_are_refused_on_width():
    with pytest.raises(ParameterError) as caught:
        validate(residual.ResidualParams, {"depth": 60, "width": 512, "batch_size": 512})
    assert caught.value.errors["width"].code == "too_costly"


@pytest.mark.parametrize(
    "configurations",
    [
        [{"activation": "relu", "init": "he_normal"}],
        [{"activation": "tanh", "init": "glorot_normal", "branch_scale": scale}
         for scale in residual.BRANCH_SCALES]
        + [{"activation": "relu", "init": "he_normal", "branch_scale": "inverse_sqrt_depth"}],
    ],
)
def test_alt_text_says_which_axes_are_logarithmic(configurations):
    series = [Series(str(i), run(depth=50, **raw).to_dict())
              for i, raw in enumerate(configurations)]
    with translation.override("en"):
        figure, alt = plots.draw_gradients(series)
    grad_ax, spread_ax = figure.axes[:2]
    scales = (grad_ax.get_yscale() == "log", spread_ax.get_yscale() == "log")
    expected = {
        (True, True): "The vertical axes are logarithmic.",
        (True, False): "The left vertical axis is logarithmic.",
        (False, True): "The right vertical axis is logarithmic.",
    }
    for sentence in expected.values():
        assert (sentence in alt) == (expected.get(scales) == sentence)
