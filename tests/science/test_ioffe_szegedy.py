"""Ioffe & Szegedy (2015), Sec. 3.3: a batch-normalized layer is invariant to the scale
of its weights, BN((aW)u) = BN(Wu), and dBN((aW)u)/d(aW) = (1/a) dBN(Wu)/dW; so the
statistics of every normalized layer are fixed whatever the weights' scale (Sec. 3.1),
and a saturating sigmoid stays unsaturated. What the paper does not say, measured here
too: in a deep ReLU net with batch norm the backward signal grows with depth, by
pi/(pi - 1) per layer in squared norm for large batches (Yang et al. 2019)."""

import numpy as np

from simulations.engine import mlp
from simulations.engine.core import validate
from simulations.engine.network import backpropagate

SEEDS = range(5)


def scaled_hidden(weights, factor):
    """Multiply every hidden layer's W by ``factor``; the output layer has no batch norm."""
    return [w * factor for w in weights[:-1]] + [weights[-1]]


def test_batch_norm_output_is_unchanged_and_weight_gradients_scale_by_one_over_a():
    params = validate(mlp.MLPParams, {"depth": 6, "width": 64, "activation": "sigmoid",
                                      "init": "glorot_normal", "batch_norm": True})
    eps = 1e-12  # the invariance is exact at eps = 0
    for seed in SEEDS:
        weights, biases, inputs, targets = mlp.draw_problem(params, seed)
        plain = backpropagate(weights, biases, inputs, targets, activation="sigmoid",
                              batch_norm=True, batch_norm_eps=eps)
        for factor in (0.1, 10.0):
            scaled = backpropagate(scaled_hidden(weights, factor), biases, inputs, targets,
                                   activation="sigmoid", batch_norm=True, batch_norm_eps=eps)
            assert np.allclose(scaled.forward.outputs, plain.forward.outputs, rtol=1e-8)
            for grad, reference in zip(scaled.weight_grads[:-1], plain.weight_grads[:-1],
                                       strict=True):
                expected = reference / factor
                assert np.linalg.norm(grad - expected) < 1e-8 * np.linalg.norm(expected)


def test_eps_breaks_the_invariance_once_the_preactivation_variance_nears_it():
    """u = z / sqrt(var + eps): with var = a^2 v, the output std is sqrt(a^2 v / (a^2 v + eps))."""
    params = validate(mlp.MLPParams, {"depth": 1, "width": 64, "activation": "sigmoid",
                                      "init": "glorot_normal", "batch_norm": True})
    weights, biases, inputs, targets = mlp.draw_problem(params, 0)
    variance = np.var(inputs @ weights[0], axis=0)  # (width,) before scaling
    factor = 1e-3
    passed = backpropagate(scaled_hidden(weights, factor), biases, inputs, targets,
                           activation="sigmoid", batch_norm=True, batch_norm_eps=1e-5)
    shrink = np.sqrt(factor**2 * variance / (factor**2 * variance + 1e-5))
    assert np.allclose(passed.forward.normalized[0].std(axis=0), shrink, rtol=1e-9)
    assert np.all(shrink < 0.5)


def test_batch_norm_keeps_sigmoid_layers_unsaturated_whatever_the_weight_scale():
    net = {"depth": 10, "width": 256, "activation": "sigmoid", "init": "normal"}
    for seed in SEEDS:
        big = mlp.run(validate(mlp.MLPParams, {**net, "init_std": 1.0}), seed)
        assert np.median(big.saturated_fractions) > 0.3
        normalized = [mlp.run(validate(mlp.MLPParams, {**net, "init_std": std,
                                                       "batch_norm": True}), seed)
                      for std in (0.05, 1.0)]
        # |u| > 5.29 for u ~ N(0, 1) has probability 1e-7: no saturated unit
        assert all(np.max(r.saturated_fractions) < 1e-3 for r in normalized)
        assert np.allclose(normalized[0].activation_stds, normalized[1].activation_stds,
                           rtol=1e-3)


def test_batch_norm_makes_relu_gradients_grow_by_pi_over_pi_minus_one_per_layer():
    params = validate(mlp.MLPParams, {"depth": 20, "width": 256, "activation": "relu",
                                      "init": "he_normal", "batch_norm": True,
                                      "loss": "probe", "batch_size": 128})
    expected = np.pi / (np.pi - 1)  # large-batch limit; B = 128 is close
    for seed in SEEDS:
        norms = mlp.run(params, seed).hidden_grad_norms ** 2
        per_layer = (norms[0] / norms[-1]) ** (1 / 19)
        assert abs(per_layer / expected - 1) < 0.02
