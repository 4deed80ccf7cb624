"""He et al. (2015), Sec. 2.2: with ReLU, Var[y_L] = Var[y_1] prod_l (1/2) n_l Var[w_l]
(their eq. 9-10) and the same product for the backward signal (eq. 13-14), so
n Var[w] = 2 keeps both constant with depth while Glorot's n Var[w] = 1 halves them at
every layer; a 30-layer net (their Fig. 3) under Glorot init loses 2^-29."""

import functools

import numpy as np

from simulations.engine import mlp
from simulations.engine.core import validate

SEEDS = range(5)
WIDTH, DEPTH = 256, 30
NET = {"depth": DEPTH, "width": WIDTH, "activation": "relu", "loss": "probe", "batch_size": 64}


@functools.cache
def measured(**changes):
    params = validate(mlp.MLPParams, {**NET, **changes})
    return tuple(mlp.run(params, seed) for seed in SEEDS)


def forward_ratio(result) -> float:
    """Return E[h_L^2] / E[h_1^2] over the batch's entries."""
    squares = result.activation_stds**2 + result.activation_means**2
    return float(squares[-1] / squares[0])


def backward_ratio(result) -> float:
    """Return E||dl/dh_1||^2 / E||dl/dh_L||^2 (per example, probe loss)."""
    return float(result.hidden_grad_norms[0] ** 2 / result.hidden_grad_norms[-1] ** 2)


def per_layer(ratio: float) -> float:
    return ratio ** (1 / (DEPTH - 1))


def finite_width_band():
    """Return (centre, half-width) of the log of the per-layer factor at width n.

    E[h_{l+1}^2 | h_l] = h_l^2 exactly for Gaussian He weights; relu(z)^4 / relu(z)^2
    has E = 6 (E relu^2)^2, so each layer's factor has variance 5/n and its log drifts by
    -5/(2n). Over L - 1 layers the mean log has std sqrt(5 / (n (L - 1))); allow 4 of them.
    """
    return -5 / (2 * WIDTH), 4 * np.sqrt(5 / (WIDTH * (DEPTH - 1)))


def test_he_init_keeps_relu_activation_variance_constant_over_30_layers():
    centre, half = finite_width_band()
    for result in measured(init="he_normal"):
        assert abs(np.log(per_layer(forward_ratio(result))) - centre) < half


def test_he_init_keeps_the_backward_signal_constant_over_30_layers():
    centre, half = finite_width_band()
    for result in measured(init="he_normal"):
        assert abs(np.log(per_layer(backward_ratio(result))) - centre) < half


def test_glorot_init_halves_relu_variance_at_every_layer_forward_and_backward():
    """ReLU is positively homogeneous and Glorot's weights are He's divided by sqrt(2)."""
    for he, glorot in zip(measured(init="he_normal"), measured(init="glorot_normal"), strict=True):
        expected = 2.0 ** -(DEPTH - 1)
        assert np.isclose(forward_ratio(glorot) / forward_ratio(he), expected, rtol=1e-9)
        assert np.isclose(backward_ratio(glorot) / backward_ratio(he), expected, rtol=1e-6)
        assert forward_ratio(glorot) < 1e-8  # the collapse under which Xavier stalls


def test_leaky_relu_needs_the_gain_sqrt_2_over_1_plus_a_squared():
    """Sec. 2.2, PReLU: (1/2)(1 + a^2) n Var[w] = 1; with a = 0.25 (their init), the ReLU
    gain sqrt(2) makes the variance grow by 1 + a^2 per layer."""
    slope = 0.25
    leaky = {"activation": "leaky_relu", "leaky_relu_slope": slope, "init": "he_normal"}
    matched = measured(**leaky, he_gain_for="leaky_relu")
    relu_gain = measured(**leaky, he_gain_for="relu")
    centre, half = finite_width_band()  # conservative: a > 0 lowers the fourth moment
    for good, grown in zip(matched, relu_gain, strict=True):
        assert abs(np.log(per_layer(forward_ratio(good))) - centre) < half
        growth = forward_ratio(grown) / forward_ratio(good)
        assert np.isclose(growth, (1 + slope**2) ** (DEPTH - 1), rtol=1e-9)
