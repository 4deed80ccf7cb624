"""Hochreiter & Schmidhuber (1997), Sec. 3 (with Hochreiter's 1991 analysis): the error
sent back one step is scaled by f'(net) w; for the logistic sigmoid, f' <= 1/4, so
|w| < 4 makes it decay exponentially (Sec. 3.1). A linear unit with self-weight 1 keeps
it unchanged: the constant error carousel (Sec. 3.2), which the LSTM's cell state carries
(a forget gate held open, sigma(20) ~ 1, is the 1997 cell, which had no forget gate)."""

import numpy as np

from simulations.engine import recurrent
from simulations.engine.core import validate

SEEDS = range(5)


def run_rnn(**changes):
    base = {"hidden_size": 32, "loss": "probe"}
    params = validate(recurrent.RecurrentParams, {**base, **changes})
    return [recurrent.run(params, seed) for seed in SEEDS]


def test_sigmoid_error_decays_exponentially_when_the_weights_are_below_four():
    steps, sigma = 100, 2.0
    for result in run_rnn(cell="sigmoid_rnn", spectral_radius=sigma, steps=steps):
        ratios = result.grad_h_norms / result.grad_h_norms[-1]
        distance = np.arange(steps, -1, -1)  # T - t
        assert np.all(ratios <= (sigma / 4) ** distance * (1 + 1e-9))


def test_a_linear_unit_with_self_weight_one_carries_the_error_unchanged():
    """The carousel, for H units: W = Q orthogonal (an isometry), f the identity."""
    for result in run_rnn(cell="linear_rnn", spectral_radius=1.0, steps=200):
        assert np.allclose(result.grad_h_norms / result.grad_h_norms[-1], 1.0, rtol=1e-10)


def test_lstm_with_its_carousel_open_keeps_the_gradient_where_the_rnn_loses_it():
    steps = 100
    carousel = 1 / (1 + np.exp(-20.0))  # the forget gate's value, per step
    assert carousel**steps > 1 - 1e-6
    lstm = run_rnn(cell="lstm", forget_bias=20.0, steps=steps)
    rnn = run_rnn(cell="rnn", steps=steps)  # same size, spectral radius 0.9, inputs std 1
    assert all(0.1 < r.grad_ratio_first_to_last < 10 for r in lstm)
    assert all(r.grad_ratio_first_to_last < 1e-15 for r in rnn)
