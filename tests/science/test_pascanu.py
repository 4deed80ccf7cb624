"""Pascanu, Mikolov & Bengio (2013), Sec. 2.1: in a vanilla RNN h_t = f(W h_{t-1} + ..),
with |f'| <= gamma (1 for tanh, 1/4 for the sigmoid), each step back multiplies the
gradient by at most gamma sigma_max(W): sigma_max < 1/gamma suffices for it to vanish,
and sigma_max > 1/gamma is necessary for it to explode. Sec. 3.2: rescaling the gradient
to a norm threshold keeps an exploding training run finite."""

import numpy as np

from simulations.engine import recurrent, training
from simulations.engine.core import validate

SEEDS = range(5)
STEPS = 100


def run_rnn(**changes):
    base = {"steps": STEPS, "hidden_size": 32, "loss": "probe"}
    params = validate(recurrent.RecurrentParams, {**base, **changes})
    return [recurrent.run(params, seed) for seed in SEEDS]


def assert_within_bound(result):
    """grad_h_norms[t] <= (gamma sigma_max)^(T - t) grad_h_norms[T] at every t."""
    bound = result.singular_value_bound()
    assert np.all(result.grad_h_norms <= bound * (1 + 1e-9))


def test_tanh_rnn_gradient_vanishes_when_the_largest_singular_value_is_below_one():
    for matrix, radius in (("orthogonal", 0.9), ("gaussian", 0.45)):
        for result in run_rnn(cell="rnn", spectral_radius=radius, recurrent_matrix=matrix):
            assert result.largest_singular_value < 1
            assert_within_bound(result)
            assert result.grad_ratio_first_to_last <= result.largest_singular_value**STEPS


def test_sigmoid_rnn_gradient_vanishes_when_the_largest_singular_value_is_below_four():
    for result in run_rnn(cell="sigmoid_rnn", spectral_radius=3.0):
        assert np.isclose(result.largest_singular_value, 3.0)
        assert_within_bound(result)
        assert result.grad_ratio_first_to_last <= 0.75**STEPS


def test_a_singular_value_above_one_over_gamma_is_necessary_not_sufficient_to_explode():
    # tanh near its linear regime (small inputs) with sigma_max = 1.2: the gradient grows
    for result in run_rnn(cell="rnn", spectral_radius=1.2, input_scale=0.1):
        assert result.grad_ratio_first_to_last > 1
    # a sigmoid RNN with sigma_max about 5 > 4 still vanishes: sigma' < 1/4 away from 0
    for result in run_rnn(cell="sigmoid_rnn", spectral_radius=3.0, recurrent_matrix="gaussian"):
        assert result.largest_singular_value > 4
        assert result.grad_ratio_first_to_last < 1e-6
    # and in the linear case the growth is exactly sigma_max^T (W = rho Q is normal)
    for result in run_rnn(cell="linear_rnn", spectral_radius=1.05):
        assert np.isclose(result.grad_ratio_first_to_last, 1.05**STEPS, rtol=1e-9)


def test_norm_clipping_keeps_an_exploding_training_run_finite():
    demo = {"activation": "tanh", "init": "normal", "init_std": 1.0, "learning_rate": 1.0,
            "depth": 8, "width": 32, "steps": 200}
    plain = validate(training.TrainingParams, demo)
    clipped = validate(training.TrainingParams, {**demo, "clipping": "norm", "clip_threshold": 1.0})
    for seed in range(3):
        assert training.run(plain, seed).diverged
        result = training.run(clipped, seed)
        assert not result.diverged
        assert result.losses[-1] < result.losses[0]
