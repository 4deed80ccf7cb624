"""Batch normalization: what the simulation shows, checked against closed forms."""

import math
import warnings

import numpy as np
import pytest

from simulations.engine import batch_norm
from simulations.engine.core import ParameterError, validate

DEEP_RELU = {"depth": 20, "width": 64, "activation": "relu", "init": "he_normal", "steps": 1}


def run(seed=0, **raw):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # overflow must be reported, never warned
        return batch_norm.run(validate(batch_norm.BatchNormParams, raw), seed)


def test_the_same_seed_gives_the_same_numbers():
    small = {"depth": 3, "width": 8, "steps": 5, "samples": 64, "held_out": 16}
    assert run(4, **small).to_dict() == run(4, **small).to_dict()


@pytest.mark.parametrize("seed", range(4))
def test_in_a_deep_relu_net_batch_norm_makes_gradients_grow_towards_the_input(seed):
    """Yang et al. (2019): about sqrt(pi / (pi - 1)) = 1.21 per layer for wide ReLU layers."""
    result = run(seed, **DEEP_RELU)
    per_layer = result.grad_ratio_first_to_last_bn ** (1 / 19)
    assert 1.12 < per_layer < 1.3
    assert result.grad_ratio_first_to_last_plain < 1  # no such growth without it
    assert math.sqrt(math.pi / (math.pi - 1)) == pytest.approx(1.2112, abs=1e-4)


def test_batch_norm_keeps_tanh_units_out_of_saturation():
    result = run(0, activation="tanh", init="normal", init_std=1.0, steps=1)
    assert result.saturated_plain.min() > 0.4  # n Var(w) = 32: most units saturate
    assert result.saturated_bn.max() < 0.02  # |u| > 2.65 for a standard normal: 0.8%


def test_small_evaluation_batches_move_the_outputs_away_from_inference_mode():
    result = run(0)
    gaps = result.output_gap_batch
    assert np.all(np.diff(gaps) < 0)  # the larger the batch, the closer to running stats
    assert result.held_out_loss_batch[0] > 5 * result.held_out_loss_running


def test_running_statistics_start_at_zero_and_one_and_move_by_the_momentum():
    result = run(0, depth=2, width=4, steps=1, samples=8, batch_size=8, held_out=4,
                 momentum=0.0)
    assert np.all(result.running_means == 0.0) and np.all(result.running_vars == 1.0)


def test_divergence_is_reported_not_raised():
    result = run(0, depth=6, width=32, activation="relu", init="normal", init_std=1.0,
                 learning_rate=5.0, steps=50)
    assert result.divergence_step_plain is not None
    data = result.to_dict()
    assert data["losses_plain"][-1] is None


def test_evaluation_batch_sizes_end_with_the_whole_held_out_set():
    assert validate(batch_norm.BatchNormParams, {"held_out": 100}).eval_batch_sizes == [
        2, 4, 8, 16, 32, 64, 100]


def test_minibatches_larger_than_the_data_set_and_slow_runs_are_refused():
    with pytest.raises(ParameterError, match="batch_size"):
        validate(batch_norm.BatchNormParams, {"samples": 16, "batch_size": 32})
    with pytest.raises(ParameterError, match="steps"):
        validate(batch_norm.BatchNormParams,
                 {"depth": 30, "width": 128, "batch_size": 256, "steps": 1000})
    # One step, but the evaluations of 2048 held-out examples (seconds of CPU) are counted.
    with pytest.raises(ParameterError, match="held_out"):
        validate(batch_norm.BatchNormParams,
                 {"depth": 30, "width": 128, "batch_size": 256, "steps": 1,
                  "samples": 2048, "held_out": 2048})


def test_the_defaults_cost_well_under_the_bound():
    cost = validate(batch_norm.BatchNormParams, {}).cost()
    assert cost.value < cost.limit / 2
